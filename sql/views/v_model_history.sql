-- One model's life across data versions of a board: filter on the board and model_id (any
-- alias resolves through model_aliases). Movement columns are null on the model's first version
-- and after a gap. Ordered by board, model_id, then date: each model's life reads top to bottom.
create or replace view v_model_history as
select
    m.source,
    m.arena,
    m.category,
    m.style_control,
    m.model_id,
    m.snapshot_date,
    m.version_no,
    m.model,
    m.rank_ub,
    m.rank_stylectrl,
    m.score,
    m.ci,
    m.votes,
    mv.previous_date,
    mv.rank_ub_delta,
    mv.score_delta,
    mv.score_delta_adj,
    mv.votes_delta,
    mv.significant,
    mv.comparable
from model_versions as m
left join rank_movements as mv using (board_id, snapshot_date, model_id)
order by m.source, m.arena, m.category, m.style_control, m.model_id, m.snapshot_date
