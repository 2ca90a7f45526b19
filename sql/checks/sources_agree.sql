-- Where the two sources overlap: per arena (the CSV source's text, vision and image against the
-- dataset's raw `overall` board of text, vision and text_to_image) and per publish date both
-- have, how many models match by name and how many of those agree on the score and on the rank.
-- Names match after lowering, spelling `+` as `plus` (Command R vs Command R+) and keeping only
-- letters and digits, or through the checked-in mapping ($map_csv / $map_dataset, in pairs); a
-- key shared by two names of one board matches nothing. A matched model's score agrees when the
-- two differ by less than one point (the CSV truncates or rounds to whole points; the dataset
-- publishes unrounded ratings); its rank when the two sources rank it within one place of each
-- other among the models both list (1 + the shared models whose lower bound is above its upper
-- bound, each source from its own bounds): the published ranks themselves cannot be compared,
-- as the CSV source's default view hides deprecated models that the dataset counts (28-34 places
-- at the bottom of LMArena's real text board in 2025).
with name_map as (
    select
        unnest(cast($map_csv as varchar[])) as csv_model,
        unnest(cast($map_dataset as varchar[])) as dataset_model
),

csv_board as (
    select arena, snapshot_date, model, score, score - ci_minus as lower_bound, score + ci_plus as upper_bound
    from leaderboard_entries
    where arena in ('text', 'vision', 'image')
),

dataset_board as (
    select
        case arena when 'text_to_image' then 'image' else arena end as arena,
        snapshot_date,
        model,
        score,
        score - ci_minus as lower_bound,
        score + ci_plus as upper_bound
    from dataset_entries
    where
        source = 'lmarena_dataset' and arena in ('text', 'vision', 'text_to_image')
        and category = 'overall' and not style_control
),

shared_dates as (
    select arena, snapshot_date from csv_board
    intersect
    select arena, snapshot_date from dataset_board
),

csv_keyed as (
    select
        c.*,
        regexp_replace(
            replace(lower(coalesce(m.dataset_model, c.model)), '+', 'plus'), '[^a-z0-9]', '', 'g'
        ) as name_key
    from csv_board as c
    semi join shared_dates using (arena, snapshot_date)
    left join name_map as m on c.model = m.csv_model
),

csv_unique as (
    select * from csv_keyed
    qualify count(*) over (partition by arena, snapshot_date, name_key) = 1
),

dataset_keyed as (
    select
        d.*,
        regexp_replace(replace(lower(d.model), '+', 'plus'), '[^a-z0-9]', '', 'g') as name_key
    from dataset_board as d
    semi join shared_dates using (arena, snapshot_date)
),

dataset_unique as (
    select * from dataset_keyed
    qualify count(*) over (partition by arena, snapshot_date, name_key) = 1
),

pairs as (
    select
        c.arena,
        c.snapshot_date,
        c.model as csv_model,
        d.model as dataset_model,
        c.score as csv_score,
        d.score as dataset_score,
        c.lower_bound as csv_lower,
        c.upper_bound as csv_upper,
        d.lower_bound as dataset_lower,
        d.upper_bound as dataset_upper,
        abs(c.score - d.score) as score_diff
    from csv_unique as c
    inner join dataset_unique as d using (arena, snapshot_date, name_key)
),

shared_ranks as (
    select
        p.arena,
        p.snapshot_date,
        p.csv_model,
        1 + count(*) filter (where o.csv_lower > p.csv_upper) as csv_rank,
        1 + count(*) filter (where o.dataset_lower > p.dataset_upper) as dataset_rank
    from pairs as p
    inner join pairs as o using (arena, snapshot_date)
    group by p.arena, p.snapshot_date, p.csv_model
),

ranked_pairs as (
    select
        p.*,
        r.csv_rank,
        r.dataset_rank,
        abs(r.csv_rank - r.dataset_rank) as rank_diff
    from pairs as p
    inner join shared_ranks as r using (arena, snapshot_date, csv_model)
),

both_lists as (
    select arena, snapshot_date, 'csv' as source from csv_keyed
    union all
    select arena, snapshot_date, 'dataset' as source from dataset_keyed
),

counts as (
    select
        arena,
        snapshot_date,
        count(*) filter (where source = 'csv') as csv_models,
        count(*) filter (where source = 'dataset') as dataset_models
    from both_lists
    group by arena, snapshot_date
)

select
    s.arena,
    s.snapshot_date,
    any_value(n.csv_models) as csv_models,
    any_value(n.dataset_models) as dataset_models,
    count(p.csv_model) as matched,
    count(p.csv_model) filter (where p.score_diff < 1) as agreeing,
    count(p.csv_model) filter (where p.rank_diff <= 1) as ranks_agreeing,
    coalesce(max(p.score_diff), 0) as max_score_diff,
    coalesce(max(p.rank_diff), 0) as max_rank_diff,
    coalesce(string_agg(
        p.csv_model || ' ' || p.csv_score || ' vs ' || p.dataset_model || ' '
        || round(p.dataset_score, 2),
        '; ' order by p.score_diff desc
    ) filter (where p.score_diff >= 1), '') as disagreements,
    coalesce(string_agg(
        p.csv_model || ' #' || p.csv_rank || ' vs #' || p.dataset_rank,
        '; ' order by p.rank_diff desc
    ) filter (where p.rank_diff > 1), '') as rank_disagreements
from shared_dates as s
inner join counts as n using (arena, snapshot_date)
left join ranked_pairs as p on s.arena = p.arena and s.snapshot_date = p.snapshot_date
group by s.arena, s.snapshot_date
order by s.arena, s.snapshot_date
