-- Dataset files that were fetched but could not be loaded; their bytes stay in raw_files.
create table if not exists dataset_load_errors (
    subset      varchar not null,
    split       varchar not null,
    sha256      varchar not null,
    error       varchar not null,         -- names file, row, column and value
    recorded_at timestamp not null        -- UTC
);
