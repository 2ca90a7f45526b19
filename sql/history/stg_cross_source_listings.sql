-- The publish dates on which each name is listed where both sources have the arena's data: the
-- CSV board of $csv_arenas and the dataset's `overall` boards (raw or style-controlled, with CI
-- bounds) of $dataset_arenas, in pairs. cross_source.py counts the dates a CSV model and a
-- dataset model were both listed and did not match.
with arena_pairs as (
    select
        unnest(cast($csv_arenas as varchar[])) as csv_arena,
        unnest(cast($dataset_arenas as varchar[])) as dataset_arena
),

csv_rows as (
    select p.csv_arena, p.dataset_arena, e.snapshot_date, e.model
    from leaderboard_entries as e
    join arena_pairs as p on p.csv_arena = e.arena
),

dataset_rows as (
    select p.csv_arena, e.snapshot_date, e.model
    from dataset_entries as e
    join arena_pairs as p on p.dataset_arena = e.arena
    where e.category = 'overall'
      and e.ci_plus is not null
),

shared as (
    select csv_arena, snapshot_date from csv_rows
    intersect
    select csv_arena, snapshot_date from dataset_rows
)

select 'fboulnois' as source, csv_arena, model, list(distinct snapshot_date) as dates
from csv_rows
semi join shared using (csv_arena, snapshot_date)
group by csv_arena, model
union all
select 'lmarena_dataset' as source, csv_arena, model, list(distinct snapshot_date) as dates
from dataset_rows
semi join shared using (csv_arena, snapshot_date)
group by csv_arena, model
