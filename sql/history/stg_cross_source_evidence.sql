-- The numbers evidence of cross_source.py: on each publish date both sources list, a CSV row
-- ($csv_arenas) against the rows of the dataset's `overall` boards of the same arena
-- ($dataset_arenas, in pairs; raw or style-controlled). Two rows agree when the CSV score is the
-- dataset's rating rounded or truncated (v3 truncates), both CI half-widths are within a point,
-- and the votes are equal where both publish them. Per pair of names: the dates they agree; of
-- them the dates each was the other's only agreeing row on a board (matched); of those the
-- dates with votes on both sides.
with arena_pairs as (
    select
        unnest(cast($csv_arenas as varchar[])) as csv_arena,
        unnest(cast($dataset_arenas as varchar[])) as dataset_arena
),

csv_rows as (
    select p.csv_arena, p.dataset_arena, e.snapshot_date, e.model, e.score, e.ci_plus, e.ci_minus, e.votes
    from leaderboard_entries as e
    join arena_pairs as p on p.csv_arena = e.arena
),

dataset_rows as (
    select arena as dataset_arena, style_control, snapshot_date, model, score, ci_plus, ci_minus, votes
    from dataset_entries
    where category = 'overall'
      and ci_plus is not null
      and ci_minus is not null
      and snapshot_date in (select c.snapshot_date from csv_rows as c)
),

agreeing as (
    select
        c.csv_arena,
        d.style_control,
        c.snapshot_date,
        c.model as csv_model,
        d.model as dataset_model,
        c.votes is not null and d.votes is not null as with_votes,
        count(*) over (partition by c.csv_arena, d.style_control, c.snapshot_date, c.model) = 1
        and count(*) over (partition by c.csv_arena, d.style_control, c.snapshot_date, d.model) = 1 as is_unique
    from csv_rows as c
    join dataset_rows as d
        on d.dataset_arena = c.dataset_arena
       and d.snapshot_date = c.snapshot_date
       and (round(d.score) = c.score or floor(d.score) = c.score)
       and abs(d.ci_plus - c.ci_plus) < 1
       and abs(d.ci_minus - c.ci_minus) < 1
       and (c.votes is null or d.votes is null or c.votes = d.votes)
)

select
    csv_arena,
    csv_model,
    dataset_model,
    count(distinct snapshot_date) filter (where is_unique) as matched_dates,
    count(distinct snapshot_date) filter (where is_unique and with_votes) as matched_with_votes,
    count(distinct snapshot_date) as agreeing_dates
from agreeing
group by csv_arena, csv_model, dataset_model
order by csv_arena, csv_model, dataset_model
