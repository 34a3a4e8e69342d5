"""Plain-Python extraction: document text in, typed records out. No Dagster imports here."""
