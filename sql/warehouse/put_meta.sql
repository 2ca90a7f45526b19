-- Set one value of arena_pipeline_meta. Parameters: $key, $value.
insert or replace into arena_pipeline_meta (key, value)
values ($key, $value)
