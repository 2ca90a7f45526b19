-- One row per arena and release day that loaded cleanly.
create table if not exists snapshots (
    arena            varchar not null,    -- text | vision | image
    snapshot_date    date not null,       -- the release tag's day
    file_name        varchar not null,
    sha256           varchar not null,    -- raw_files.sha256 of the file loaded
    schema_version   varchar not null,    -- v0 | v1 | v2 | v3
    row_count        integer not null,    -- rows loaded (after the duplicate rule)
    duplicate_rows   integer not null,    -- rows dropped by the duplicate rule
    data_hash        varchar not null,    -- hash of the normalized rows, independent of bytes
    same_as_previous boolean,             -- data identical to the arena's previous snapshot
    primary key (arena, snapshot_date)
);
