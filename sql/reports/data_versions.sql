-- The data versions of one board ($source, $arena, $category, $style_control) up to $as_of, oldest first: one digest each, and the
-- baseline (last version before a window) of the weekly and monthly reports.
with versions as (
    select
        arena,
        snapshot_date,
        version_no,
        previous_date,
        schema_version,
        is_method_change
    from data_versions
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date <= $as_of
)
select *
from versions
order by snapshot_date
