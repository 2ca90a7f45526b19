"""The concurrency pool of the DuckDB file.

DuckDB allows one process to hold the file, readers included. Every asset and check that opens
it runs in this pool; the `dagster.yaml` the CLI writes limits every pool to one step at a time,
so a schedule tick, a UI launch and a CLI run queue inside Dagster instead of racing for the
file lock (and failing after the DuckDB resource's ~100 s of retries).
"""

DUCKDB_WRITER_POOL = "duckdb_writer"

