-- Score changes larger than the two versions' combined uncertainty once the field's common
-- offset is removed (score_delta_adj), excluding movements across a method change that breaks
-- comparability and those without published bounds; newest first, then the largest change.
-- One row per board and movement (filter on source = 'fboulnois' for the CSV boards).
create or replace view v_biggest_movers as
select
    source,
    arena,
    category,
    style_control,
    snapshot_date,
    previous_date,
    model_id,
    model,
    score_prev,
    score,
    score_delta,
    score_delta_adj,
    combined_ci(ci_prev, ci) as combined_ci,
    rank_ub_prev,
    rank_ub,
    rank_ub_delta,
    votes_delta
from rank_movements
where significant and comparable
order by snapshot_date desc, abs(score_delta_adj) desc, model_id asc, source asc, arena asc, category asc, style_control asc
