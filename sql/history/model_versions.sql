-- Attach the model identity to every row of every data version (of the boards in
-- boards_to_compute; of an appended board, only its versions after appended_after).
insert into model_versions by name
select
    v.board_id,
    v.source,
    v.arena,
    v.category,
    v.style_control,
    v.snapshot_date,
    v.version_no,
    a.model_id,
    e.model,
    e.rank_ub,
    e.rank_stylectrl,
    e.position,
    e.score,
    e.ci_plus,
    e.ci_minus,
    ci_half_width(e.ci_plus, e.ci_minus) as ci,
    e.votes,
    e.organization,
    e.license,
    e.knowledge_cutoff,
    e.url
from data_versions as v
join boards_to_compute as b using (board_id)
join v_board_entries as e using (source, arena, category, style_control, snapshot_date)
join model_aliases as a
    on a.board_id = v.board_id
    and a.model = e.model
    and a.valid_from <= e.snapshot_date
    and (a.valid_to is null or e.snapshot_date < a.valid_to)
where b.appended_after is null or v.snapshot_date > b.appended_after
