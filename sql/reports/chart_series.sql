-- Chart lines: the top 10 (by rank_ub, then upstream position) of the board's latest data
-- version at or before $as_of (board: $source, $arena, $category, $style_control), each followed by model_id through the 90 days ending $as_of,
-- so a rename does not break a line. Each line is labelled with the model's current name.
with latest as (
    select max(snapshot_date) as snapshot_date
    from data_versions
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date <= $as_of
),

top_models as (
    select
        mv.model_id,
        mv.model as label,
        row_number() over (order by mv.rank_ub, mv.position) as place
    from model_versions as mv
    join latest
        on mv.snapshot_date = latest.snapshot_date
    where mv.source = $source
      and mv.arena = $arena
      and mv.category = $category
      and mv.style_control = $style_control
    qualify place <= 10
)

select
    top_models.place,
    top_models.model_id,
    top_models.label,
    mv.snapshot_date,
    mv.score,
    mv.rank_ub,
    mv.ci_plus,
    mv.ci_minus
from top_models
join model_versions as mv
    on mv.source = $source
   and mv.arena = $arena
   and mv.category = $category
   and mv.style_control = $style_control
   and mv.model_id = top_models.model_id
where mv.snapshot_date between cast($as_of as date) - 89 and $as_of
order by top_models.place, mv.snapshot_date
