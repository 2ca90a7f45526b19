-- The file's boards and publish dates that have rated rows (stg_dataset_file_days): unrated rows
-- alone make no board; dataset_files counts them.
create or replace temp table dataset_staged_days as
select category, snapshot_date, row_count, duplicate_rows, unrated_rows, rated_rows, data_hash, content_hash
from dataset_file_days
where rated_rows > 0
