-- The rename rule's "listed together" test for the boards to be appended to
-- (boards_to_compute.appended_after): every data-version date of each name that is listed in
-- some but not all of the board's versions from appended_after on (only such a name can leave
-- or arrive between two of them), over the board's whole history: the earlier dates from the
-- stored model_versions. identity.extend_aliases reads it.
with versions as (
    select
        days.board_id,
        days.source,
        days.arena,
        days.category,
        days.style_control,
        days.snapshot_date,
        b.appended_after,
        count(*) over (partition by days.board_id) as version_count
    from data_version_days() as days
    join boards_to_compute as b using (board_id)
    where days.snapshot_date >= b.appended_after
),

recent as (
    select v.board_id, e.model, v.snapshot_date, v.appended_after, v.version_count
    from v_board_entries as e
    join versions as v using (source, arena, category, style_control, snapshot_date)
),

churn as (
    select board_id, model, any_value(appended_after) as appended_after
    from recent
    group by board_id, model
    having count(*) < any_value(version_count)
),

listings as (
    select board_id, model, snapshot_date
    from recent
    semi join churn using (board_id, model)
    union all
    select m.board_id, m.model, m.snapshot_date
    from model_versions as m
    join churn as c using (board_id, model)
    where m.snapshot_date < c.appended_after
)

select board_id, model, list(snapshot_date order by snapshot_date) as dates
from listings
group by board_id, model
