-- One row per dataset file loaded (append-only): what the cheap revision check compares against.
create table if not exists dataset_files (
    subset             varchar not null,
    split              varchar not null,
    revision           varchar,           -- dataset commit (or mirror revision); null if unknown
    sha256             varchar not null,
    url                varchar not null,
    rows_read          bigint not null,
    rows_loaded        bigint not null,
    boards             integer not null,  -- (category, publish date) pairs
    duplicate_rows     bigint not null,
    unrated_rows       bigint not null,
    first_publish_date date,
    last_publish_date  date,
    loaded_at          timestamp not null -- UTC
);
