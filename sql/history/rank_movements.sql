-- How each model moved between consecutive data versions, and over 7 and 30 days.
-- Deltas are current - previous. A movement across a method change is not comparable.
insert into rank_movements by name
with versions as (
    select
        v.*,
        -- The latest data version at or before 7 / 30 days earlier (a release day, not a version,
        -- may fall on that date).
        (select max(earlier.snapshot_date) from data_versions as earlier
         where earlier.arena = v.arena and earlier.snapshot_date <= v.snapshot_date - 7) as date_7d,
        (select max(earlier.snapshot_date) from data_versions as earlier
         where earlier.arena = v.arena and earlier.snapshot_date <= v.snapshot_date - 30) as date_30d
    from data_versions as v
    where v.previous_date is not null
),

eras as (
    select arena, snapshot_date, method_era from data_versions
),

moves as (
    select
        v.arena,
        v.snapshot_date,
        v.previous_date,
        cur.model_id,
        cur.model,
        prev.rank_ub as rank_ub_prev,
        cur.rank_ub,
        prev.rank_stylectrl as rank_stylectrl_prev,
        cur.rank_stylectrl,
        prev.score as score_prev,
        cur.score,
        prev.votes as votes_prev,
        cur.votes,
        prev.ci as ci_prev,
        cur.ci,
        not v.is_method_change as comparable,
        v.method_era,
        v.date_7d,
        v.date_30d
    from versions as v
    join model_versions as cur
        on cur.arena = v.arena and cur.snapshot_date = v.snapshot_date
    join model_versions as prev
        on prev.arena = v.arena and prev.snapshot_date = v.previous_date and prev.model_id = cur.model_id
)

select
    m.arena,
    m.snapshot_date,
    m.previous_date,
    m.model_id,
    m.model,
    m.rank_ub_prev,
    m.rank_ub,
    m.rank_ub - m.rank_ub_prev as rank_ub_delta,
    m.rank_stylectrl_prev,
    m.rank_stylectrl,
    m.rank_stylectrl - m.rank_stylectrl_prev as rank_stylectrl_delta,
    m.score_prev,
    m.score,
    m.score - m.score_prev as score_delta,
    m.votes_prev,
    m.votes,
    m.votes - m.votes_prev as votes_delta,
    m.ci_prev,
    m.ci,
    abs(m.score - m.score_prev) > combined_ci(m.ci_prev, m.ci) as significant,
    m.comparable,
    m.date_7d,
    m.rank_ub - week.rank_ub as rank_ub_delta_7d,
    m.score - week.score as score_delta_7d,
    case when m.date_7d is not null then era_7d.method_era = m.method_era end as comparable_7d,
    m.date_30d,
    m.rank_ub - month.rank_ub as rank_ub_delta_30d,
    m.score - month.score as score_delta_30d,
    case when m.date_30d is not null then era_30d.method_era = m.method_era end as comparable_30d
from moves as m
left join model_versions as week
    on week.arena = m.arena and week.snapshot_date = m.date_7d and week.model_id = m.model_id
left join model_versions as month
    on month.arena = m.arena and month.snapshot_date = m.date_30d and month.model_id = m.model_id
left join eras as era_7d
    on era_7d.arena = m.arena and era_7d.snapshot_date = m.date_7d
left join eras as era_30d
    on era_30d.arena = m.arena and era_30d.snapshot_date = m.date_30d
