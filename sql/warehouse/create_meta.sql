-- What this pipeline records about the database itself: the schema version that wrote it
-- (`schema_version`), the package that did (`written_by`), the analytics tables' mark.
create table if not exists arena_pipeline_meta (
    key   varchar primary key,
    value varchar not null
)
