"""Ingestion: bytes from a source -> canonical rows -> DuckDB, one module per source."""
