-- A range's rejected files (ingest.write_range appends them), for append_load_errors.
create or replace temp table incoming_load_errors (
    arena         varchar,
    snapshot_date date,
    file_name     varchar,
    sha256        varchar,
    error         varchar,
    recorded_at   timestamp
)
