-- One model's life across data versions, across renames and across both sources: model_id is
-- the identity of model_identities (a linked model's slug, else the source's own id), so the
-- CSV board and the dataset's boards of one model share it; board_model_id is the identity on
-- its board (model_aliases). Filter on model_id and the board (text/overall/raw is the CSV
-- board's twin). Movement columns are null on the model's first version and after a gap.
-- Ordered by arena, category, style control, model_id, date, then source: each model's life
-- reads top to bottom, the CSV board's rows among those of the dataset's raw overall board.
create or replace view v_model_history as
select
    m.source,
    m.arena,
    m.category,
    m.style_control,
    coalesce(i.model_id, m.model_id) as model_id,
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
    mv.comparable,
    m.model_id as board_model_id
from model_versions as m
left join rank_movements as mv using (board_id, snapshot_date, model_id)
left join model_identities as i on i.source = m.source and i.arena = m.arena and i.model = m.model
order by m.arena, m.category, m.style_control, coalesce(i.model_id, m.model_id), m.snapshot_date, m.source
