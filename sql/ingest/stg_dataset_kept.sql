-- The staged rows that are loaded: of the changed boards and publish dates
-- (stg_dataset_changed_days), rated, and within a board and publish date the best ranked copy of
-- a model (published duplicates exist, e.g. in webdev).
create or replace temp table dataset_kept as
select
    row_no, model, category, snapshot_date, score, rated, position, rating_lower, rating_upper,
    variance, votes, organization, license
from dataset_staged
semi join dataset_changed_days using (category, snapshot_date)
where rated
qualify row_number() over (
    partition by category, snapshot_date, model order by position asc, score desc, row_no asc
) = 1
