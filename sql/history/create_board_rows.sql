-- The rows one batch of boards is computed from (analytics._recompute_boards builds it once per
-- batch, after boards_to_compute): every row of the data-version days of those boards (of a board
-- appended to, of its versions from appended_after on), with its board_id and version number.
-- The rename rule's input and model_versions read it by board_id instead of each joining
-- v_board_entries on the board's four columns again (a temporary table of the transaction's
-- connection).
create or replace temp table board_rows as
select
    days.board_id,
    days.snapshot_date,
    days.version_no,
    e.model,
    e.rank_ub,
    e.rank_stylectrl,
    e.position,
    e.score,
    e.ci_plus,
    e.ci_minus,
    e.votes,
    e.organization,
    e.license,
    e.knowledge_cutoff,
    e.url
from data_version_days() as days
join boards_to_compute as b using (board_id)
join v_board_entries as e using (source, arena, category, style_control, snapshot_date)
where b.appended_after is null or days.snapshot_date >= b.appended_after
