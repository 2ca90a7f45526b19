-- A range's fetch attempts (ingest.write_range appends them), for append_fetch_log.
create or replace temp table incoming_fetch_log (
    tag           varchar,
    snapshot_date date,
    file_name     varchar,
    url           varchar,
    http_status   integer,
    sha256        varchar,
    size_bytes    bigint,
    fetched_at    timestamp,
    error         varchar
)
