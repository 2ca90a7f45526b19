-- The rows the rename detector needs (identity.py): every model of every data version of the
-- boards in boards_to_compute. ci is null where the dataset published no bounds.
select
    e.source,
    e.arena,
    e.category,
    e.style_control,
    e.snapshot_date,
    e.model,
    e.organization,
    e.score,
    ci_half_width(e.ci_plus, e.ci_minus) as ci,
    e.votes
from v_board_entries as e
join data_version_days() using (source, arena, category, style_control, snapshot_date)
semi join boards_to_compute using (source, arena, category, style_control)
order by e.source, e.arena, e.category, e.style_control, e.snapshot_date, e.model
