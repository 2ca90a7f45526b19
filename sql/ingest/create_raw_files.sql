-- Every file ever downloaded, verbatim, once per distinct content (deduplicated by sha256).
create table if not exists raw_files (
    sha256          varchar primary key,
    size_bytes      bigint not null,
    content         blob not null,
    first_url       varchar not null,
    first_fetched_at timestamp not null   -- UTC
);
