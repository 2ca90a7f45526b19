-- The staged rows of one subset into dataset_entries. Within a board and publish date the best
-- ranked copy of a model wins (published duplicates exist, e.g. in webdev); unrated rows are
-- skipped. rank_ub is derived from the bounds like the CSV source's v3 rows: 1 + the number of
-- models whose lower bound is above this model's upper bound.
insert into dataset_entries by name
with kept as (
    select *
    from dataset_staged
    where rated
    qualify row_number() over (
        partition by category, snapshot_date, model order by position, score desc, row_no
    ) = 1
),
bounds as (
    select category, snapshot_date, null as model, rating_lower as bound, 1 as is_lower
    from kept where rating_lower is not null
    union all
    select category, snapshot_date, model, rating_upper, 0
    from kept where rating_upper is not null
),
lower_bounds_above as (
    select category, snapshot_date, model, is_lower,
           sum(is_lower) over (
               partition by category, snapshot_date
               order by bound desc, is_lower
               rows between unbounded preceding and current row
           ) as models_above
    from bounds
)
select
    $source as source,
    $arena as arena,
    k.category,
    $style_control as style_control,
    k.snapshot_date,
    k.model,
    cast(1 + a.models_above as integer) as rank_ub,
    k.position,
    k.score,
    k.rating_upper - k.score as ci_plus,
    k.score - k.rating_lower as ci_minus,
    k.votes,
    k.organization,
    k.license,
    k.variance
from kept as k
left join lower_bounds_above as a
    on a.is_lower = 0 and a.category = k.category and a.snapshot_date = k.snapshot_date and a.model = k.model
