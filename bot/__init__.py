"""Steady's own library: language, drafting, safety, storage. Plain Python, testable without Rasa."""
