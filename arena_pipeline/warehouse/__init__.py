"""The DuckDB file (helpers, the user's read-only SQL) and the plumbing of Dagster's own storage."""
