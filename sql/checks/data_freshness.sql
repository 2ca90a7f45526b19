-- Soft invariant: per board, the newest data version (when the data last changed) and the
-- newest release or publish date loaded (the last time it was checked).
with releases as (
    select b.board_id, max(s.snapshot_date) as latest_release_date
    from v_board_snapshots as s
    join boards as b using (source, arena, category, style_control)
    group by b.board_id
)

select
    v.source,
    v.arena,
    v.category,
    v.style_control,
    max(v.snapshot_date) as data_version_date,
    any_value(r.latest_release_date) as latest_release_date
from data_versions as v
join releases as r using (board_id)
group by v.board_id, v.source, v.arena, v.category, v.style_control
order by v.source, v.arena, v.category, v.style_control
