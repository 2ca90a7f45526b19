-- The staged rows of one subset's changed boards and publish dates (stg_dataset_changed_days)
-- into dataset_entries. Within a board and publish date the best
-- ranked copy of a model wins (published duplicates exist, e.g. in webdev); unrated rows are
-- skipped. rank_ub is derived from the bounds like the CSV source's v3 rows: 1 + the number of
-- models whose lower bound is above this model's upper bound, counted in one sorted pass per
-- board over both bounds (at equal values an upper bound sorts first: equal is not above).
insert into dataset_entries by name
with kept as (
    select *
    from dataset_staged
    semi join dataset_changed_days using (category, snapshot_date)
    where rated
    qualify row_number() over (
        partition by category, snapshot_date, model order by position asc, score desc, row_no asc
    ) = 1
),
bounds as (
    select category, snapshot_date, rating_lower as bound, 1 as is_lower, null as row_no
    from kept
    where rating_lower is not null
    union all
    select category, snapshot_date, rating_upper, 0, row_no
    from kept
    where rating_upper is not null
),
lower_bounds_above as (
    select row_no,
           sum(is_lower) over (
               partition by category, snapshot_date
               order by bound desc, is_lower asc
               rows between unbounded preceding and current row
           ) as models_above
    from bounds
    qualify is_lower = 0
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
left join lower_bounds_above as a using (row_no)
