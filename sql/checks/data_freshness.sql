-- Soft invariant: per board, the newest data version (when the data last changed) and the
-- newest release or publish date loaded (the last time it was checked).
with releases as (
    select source, arena, category, style_control, max(snapshot_date) as latest_release_date
    from v_board_snapshots
    group by source, arena, category, style_control
)

select
    v.source,
    v.arena,
    v.category,
    v.style_control,
    max(v.snapshot_date) as data_version_date,
    any_value(r.latest_release_date) as latest_release_date
from data_versions as v
join releases as r using (source, arena, category, style_control)
group by v.source, v.arena, v.category, v.style_control
order by v.source, v.arena, v.category, v.style_control
