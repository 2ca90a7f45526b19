-- The kept rows of one subset's changed boards and publish dates (stg_dataset_kept, after
-- stg_dataset_changed_days) into dataset_entries. rank_ub is the published rank where the board's
-- publish date publishes an upper-bound rank (stg_dataset_rank_kinds), else derived from the
-- bounds like the CSV source's v3 rows; rank_ub_derived is always the derivation: 1 + the number
-- of models whose lower bound is above this model's upper bound, counted in one sorted pass per
-- board over both bounds (at equal values an upper bound sorts first: equal is not above).
insert into dataset_entries by name
with kept as (
    select * from dataset_kept
),
bounds as (
    select board_no, rating_lower as bound, 1 as is_lower, null as row_no
    from kept
    where rating_lower is not null
    union all
    select board_no, rating_upper, 0, row_no
    from kept
    where rating_upper is not null
),
lower_bounds_above as (
    select row_no,
           sum(is_lower) over (
               partition by board_no
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
    case
        when r.rank_kind = 'upper_bound' then k.position
        else cast(1 + a.models_above as integer)
    end as rank_ub,
    cast(1 + a.models_above as integer) as rank_ub_derived,
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
left join dataset_rank_kinds as r using (board_no)
