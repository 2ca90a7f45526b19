-- Every request made to the dataset (append-only): revision checks, listings and file downloads,
-- one row per attempt (a retried request has several).
create table if not exists dataset_fetch_log (
    what        varchar not null,         -- 'revision', 'listing' (the Hub's file hashes) or 'file'
    subset      varchar,
    split       varchar,
    url         varchar not null,         -- or local path
    revision    varchar,
    sha256      varchar,
    size_bytes  bigint,
    fetched_at  timestamp not null,       -- UTC
    error       varchar,
    http_status integer                   -- null: no answer (or a local file)
);
