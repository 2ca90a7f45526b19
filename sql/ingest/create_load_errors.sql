-- Files that were fetched but could not be loaded; their bytes stay in raw_files.
create table if not exists load_errors (
    arena         varchar not null,
    snapshot_date date not null,
    file_name     varchar not null,
    sha256        varchar not null,
    error         varchar not null,       -- names file, line, column and value
    recorded_at   timestamp not null      -- UTC
);
