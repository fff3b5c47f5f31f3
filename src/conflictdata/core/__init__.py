"""Configuration and plumbing every layer shares: the vocabularies and ID patterns, where
files live, the release metadata, the gazetteer and git. Imports nothing else of the package."""
