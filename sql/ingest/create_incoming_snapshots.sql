-- A range's arena-days that parsed (ingest.write_range appends them); file_key names the
-- parsed file in incoming_entries.
create or replace temp table incoming_snapshots (
    arena          varchar,
    snapshot_date  date,
    file_name      varchar,
    sha256         varchar,
    schema_version varchar,
    row_count      integer,
    duplicate_rows integer,
    data_hash      varchar,
    file_key       varchar
)
