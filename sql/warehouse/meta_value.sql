-- One value of arena_pipeline_meta. Parameter: $key.
select value
from arena_pipeline_meta
where key = $key
