-- The boards to be appended to (boards_to_compute.appended_after) whose new data versions list
-- two names of one stored identity together. Two names ever listed together are two models, so
-- such a version may undo a rename of the stored history and change old rows: those boards are
-- recomputed whole. Otherwise every stored alias stays (identity.extend_aliases).
with new_rows as (
    select days.board_id, days.snapshot_date, e.model
    from data_version_days() as days
    join boards_to_compute as b using (board_id)
    join v_board_entries as e using (source, arena, category, style_control, snapshot_date)
    where days.snapshot_date > b.appended_after
),

shared as (
    select n.board_id
    from new_rows as n
    join model_aliases as a
        on a.board_id = n.board_id
        and a.model = n.model
    group by n.board_id, n.snapshot_date, a.model_id
    having count(distinct n.model) > 1
)

select distinct board_id
from shared
order by board_id
