"""What plugs into the servers: classes Rasa loads by their dotted path (from config.yml),
thin shells around bot/, and tuning of the server processes (speed-ups, garbage collection)."""
