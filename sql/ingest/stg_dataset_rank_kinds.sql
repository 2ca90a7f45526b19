-- What the published `rank` of each board and publish date is, read from the data, not assumed:
--   position     1 .. n without ties, in score order: a row number by rating;
--   upper_bound  ties, starts at 1 and never above the model's place by score (only models with a
--                higher score can be statistically above it): LMArena's "final ranking", 1 +
--                models whose lower bound is above this model's upper bound (deprecated models
--                left out). It need not follow the scores: a model with a wider interval can
--                rank above a slightly higher-rated one;
--   other        anything else (gaps without ties, a rank above the model's place, ...).
create or replace temp table dataset_rank_kinds as
with placed as (
    select
        board_no,
        category,
        snapshot_date,
        position,
        row_number() over (
            partition by board_no order by score desc, position asc
        ) as place,
        max(position) over (
            partition by board_no order by score desc, position asc
            rows between unbounded preceding and 1 preceding
        ) as highest_rank_above
    from dataset_kept
),
per_board as (
    select
        board_no,
        any_value(category) as category,
        any_value(snapshot_date) as snapshot_date,
        count(*) as models,
        count(distinct position) as distinct_ranks,
        min(position) as first_rank,
        max(position) as last_rank,
        count(*) filter (where position > place) as ranks_beyond_place,
        count(*) filter (where position < highest_rank_above) as out_of_score_order
    from placed
    group by board_no
)
select
    board_no,
    category,
    snapshot_date,
    case
        when
            distinct_ranks = models and first_rank = 1 and last_rank = models
            and out_of_score_order = 0
            then 'position'
        when distinct_ranks < models and first_rank = 1 and ranks_beyond_place = 0 then 'upper_bound'
        else 'other'
    end as rank_kind
from per_board
