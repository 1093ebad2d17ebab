"""One module per use case: health, extract (read a file, store nothing), documents, records."""
