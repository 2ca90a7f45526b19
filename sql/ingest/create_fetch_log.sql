-- One row per fetch attempt of one release file (append-only audit log).
-- http_status 404 means "no such file that day"; sha256 is null when no body was kept.
create table if not exists fetch_log (
    tag          varchar not null,        -- upstream release tag, YYYY.MM.DD
    snapshot_date date not null,
    file_name    varchar not null,
    url          varchar not null,
    http_status  integer,                 -- null when the request never got an answer
    sha256       varchar,
    size_bytes   bigint,
    fetched_at   timestamp not null,      -- UTC
    error        varchar
);
