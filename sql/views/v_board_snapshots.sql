-- One row per board and day loaded, both sources: the CSV source's release days and the
-- dataset's publish dates, with the hash that tells a re-publication from new data.
create or replace view v_board_snapshots as
select
    'fboulnois' as source, arena, 'overall' as category, false as style_control, snapshot_date,
    row_count, duplicate_rows, data_hash
from snapshots
union all
select
    source, arena, category, style_control, snapshot_date,
    row_count, duplicate_rows, data_hash
from dataset_snapshots
