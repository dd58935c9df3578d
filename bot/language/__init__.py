"""Language work on spaCy: one shared blank English pipeline with a lookup lemmatizer."""
