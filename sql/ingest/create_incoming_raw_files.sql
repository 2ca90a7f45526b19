-- A range's distinct files (ingest.write_range appends them), for archive_raw_files.
create or replace temp table incoming_raw_files (
    sha256           varchar,
    size_bytes       bigint,
    content          blob,
    first_url        varchar,
    first_fetched_at timestamp
)
