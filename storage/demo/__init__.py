"""Demo and reference data (YAML) for Ruamkan; see README.md in this folder."""
