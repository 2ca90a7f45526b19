-- Per board (source, arena, category, style_control), the newest data version, with each
-- model's movement since the previous version; in the leaderboard's order (board, then rank
-- upper bound, then the published position). The CSV source's board of an arena is
-- source = 'fboulnois' (category 'overall', no style control).
create or replace view v_latest_leaderboard as
with latest as (
    select board_id, max(snapshot_date) as snapshot_date
    from data_versions
    group by board_id
),

latest_release as (
    select b.board_id, max(s.snapshot_date) as latest_release_date
    from v_board_snapshots as s
    join boards as b using (source, arena, category, style_control)
    group by b.board_id
)

select
    m.source,
    m.arena,
    m.category,
    m.style_control,
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
join latest using (board_id, snapshot_date)
join latest_release as r using (board_id)
left join rank_movements as mv using (board_id, snapshot_date, model_id)
order by m.source, m.arena, m.category, m.style_control, m.rank_ub, m.position
