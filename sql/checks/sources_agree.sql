-- Where the two sources overlap: per publish date that both have, the CSV source's text board
-- against the dataset's raw text `overall` board. Names match after lowering, spelling `+` as
-- `plus` (Command R vs Command R+) and keeping only letters and digits, or through the checked-in
-- mapping ($map_csv / $map_dataset, in pairs); a key shared by two names of one board matches nothing.
-- A matched model agrees when the scores differ by less than one point (the CSV truncates or
-- rounds to whole points; the dataset publishes unrounded ratings).
with name_map as (
    select unnest(cast($map_csv as varchar[])) as csv_model, unnest(cast($map_dataset as varchar[])) as dataset_model
),
csv_board as (
    select snapshot_date, model, score, votes
    from leaderboard_entries
    where arena = 'text'
),
dataset_board as (
    select snapshot_date, model, score, votes
    from dataset_entries
    where source = 'lmarena_dataset' and arena = 'text' and category = 'overall' and not style_control
),
shared_dates as (
    select snapshot_date from csv_board
    intersect
    select snapshot_date from dataset_board
),
csv_keyed as (
    select c.*, regexp_replace(replace(lower(coalesce(m.dataset_model, c.model)), '+', 'plus'), '[^a-z0-9]', '', 'g') as name_key
    from csv_board as c
    left join name_map as m on m.csv_model = c.model
    where c.snapshot_date in (select snapshot_date from shared_dates)
),
csv_unique as (
    select * from csv_keyed qualify count(*) over (partition by snapshot_date, name_key) = 1
),
dataset_keyed as (
    select d.*, regexp_replace(replace(lower(d.model), '+', 'plus'), '[^a-z0-9]', '', 'g') as name_key
    from dataset_board as d
    where d.snapshot_date in (select snapshot_date from shared_dates)
),
dataset_unique as (
    select * from dataset_keyed qualify count(*) over (partition by snapshot_date, name_key) = 1
),
pairs as (
    select
        c.snapshot_date, c.model as csv_model, d.model as dataset_model, c.score as csv_score,
        d.score as dataset_score, abs(c.score - d.score) as score_diff
    from csv_unique as c
    join dataset_unique as d using (snapshot_date, name_key)
)
select
    s.snapshot_date,
    (select count(*) from csv_keyed as c where c.snapshot_date = s.snapshot_date) as csv_models,
    (select count(*) from dataset_keyed as d where d.snapshot_date = s.snapshot_date) as dataset_models,
    count(p.csv_model) as matched,
    count(p.csv_model) filter (where p.score_diff < 1) as agreeing,
    coalesce(max(p.score_diff), 0) as max_score_diff,
    coalesce(string_agg(
        p.csv_model || ' ' || p.csv_score || ' vs ' || p.dataset_model || ' ' || round(p.dataset_score, 2),
        '; ' order by p.score_diff desc
    ) filter (where p.score_diff >= 1), '') as disagreements
from shared_dates as s
left join pairs as p on p.snapshot_date = s.snapshot_date
group by s.snapshot_date
order by s.snapshot_date
