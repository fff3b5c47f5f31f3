"""Reading record files: the strict YAML reader."""
