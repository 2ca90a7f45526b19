-- Every movement of one board's data versions ($source, $arena, $category, $style_control)
-- between $start_date and $end_date (inclusive).
-- All of them: the renderer keeps the significant, comparable ones and counts the others.
with window_movements as (
    select
        arena,
        snapshot_date,
        previous_date,
        model_id,
        model,
        rank_ub_prev,
        rank_ub,
        rank_ub_delta,
        score_prev,
        score,
        score_delta,
        score_delta_adj,
        votes_prev,
        votes,
        ci_prev,
        ci,
        significant,
        comparable,
        date_7d,
        rank_ub_delta_7d,
        score_delta_adj_7d,
        significant_7d,
        comparable_7d,
        date_30d,
        rank_ub_delta_30d,
        score_delta_adj_30d,
        significant_30d,
        comparable_30d
    from rank_movements
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date between $start_date and $end_date
)
select *
from window_movements
order by snapshot_date, model_id
