-- The rows that are loaded, read from the file (dataset_typed_rows) for the changed boards and
-- publish dates only (stg_dataset_changed_days): rated, and within a board and publish date the
-- best ranked copy of a model (published duplicates exist, e.g. in webdev). Only the days that
-- have duplicates (stg_dataset_file_days) pay for the window that picks the copy. board_no numbers
-- the changed boards and dates: the windows that follow partition by one integer, not by a
-- category and a date (a third faster).
create or replace temp table dataset_kept as
with changed as (
    select
        staged.category,
        staged.snapshot_date,
        staged.duplicate_rows > 0 as has_duplicates,
        row_number() over () as board_no
    from dataset_staged_days as staged
    semi join dataset_changed_days using (category, snapshot_date)
),
changed_rows as (
    select
        file_rows.row_no, file_rows.model, file_rows.category, file_rows.snapshot_date, file_rows.score,
        file_rows.position, file_rows.rating_lower, file_rows.rating_upper, file_rows.variance,
        file_rows.votes, file_rows.organization, file_rows.license, changed.has_duplicates, changed.board_no
    from dataset_typed_rows($path) as file_rows
    inner join changed using (category, snapshot_date)
    where file_rows.rated
)
select
    board_no, row_no, model, category, snapshot_date, score, position, rating_lower, rating_upper,
    variance, votes, organization, license
from changed_rows
where not has_duplicates
union all
(
    select
        board_no, row_no, model, category, snapshot_date, score, position, rating_lower,
        rating_upper, variance, votes, organization, license
    from changed_rows
    where has_duplicates
    qualify row_number() over (
        partition by board_no, model order by position asc, score desc, row_no asc
    ) = 1
)
