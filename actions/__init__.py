"""Rasa SDK actions: thin adapters between Rasa's conversation and the ``bot`` library."""
