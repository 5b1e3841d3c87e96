"""Data files of the names extractor."""
