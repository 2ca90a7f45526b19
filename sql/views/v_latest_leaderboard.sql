-- Per arena, the newest data version, with each model's movement since the previous version;
-- in the leaderboard's order (arena, then rank upper bound, then the published position).
create or replace view v_latest_leaderboard as
with latest as (
    select arena, max(snapshot_date) as snapshot_date
    from data_versions
    group by arena
),

latest_release as (
    select arena, max(snapshot_date) as latest_release_date
    from snapshots
    group by arena
)

select
    m.arena,
    m.snapshot_date,
    r.latest_release_date,
    m.model_id,
    m.model,
    m.rank_ub,
    m.rank_stylectrl,
    m.position,
    m.score,
    m.ci_plus,
    m.ci_minus,
    m.votes,
    m.organization,
    m.license,
    m.knowledge_cutoff,
    mv.rank_ub_delta,
    mv.score_delta,
    mv.score_delta_adj,
    mv.significant,
    mv.comparable
from model_versions as m
join latest using (arena, snapshot_date)
join latest_release as r using (arena)
left join rank_movements as mv using (arena, snapshot_date, model_id)
order by m.arena, m.rank_ub, m.position
