-- Attach the model identity to every row of every data version (of the boards in
-- boards_to_compute; of an appended board, only its versions after appended_after), from the
-- batch's rows (board_rows).
insert into model_versions by name
select
    r.board_id,
    b.source,
    b.arena,
    b.category,
    b.style_control,
    r.snapshot_date,
    r.version_no,
    a.model_id,
    r.model,
    r.rank_ub,
    r.rank_stylectrl,
    r.position,
    r.score,
    r.ci_plus,
    r.ci_minus,
    ci_half_width(r.ci_plus, r.ci_minus) as ci,
    r.votes,
    r.organization,
    r.license,
    r.knowledge_cutoff,
    r.url
from board_rows as r
join boards_to_compute as c using (board_id)
join boards as b using (board_id)
join model_aliases as a
    on a.board_id = r.board_id
    and a.model = r.model
    and a.valid_from <= r.snapshot_date
    and (a.valid_to is null or r.snapshot_date < a.valid_to)
where c.appended_after is null or r.snapshot_date > c.appended_after
