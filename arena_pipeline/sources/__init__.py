"""Upstream sources: the CSV releases, the official dataset and the HTTP policy they share.

No Dagster and no DuckDB here: a source turns a day or a revision into bytes and says where
they came from."""
