"""Classes Rasa loads by their dotted path (from config.yml): thin shells around bot/."""
