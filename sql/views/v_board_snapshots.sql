-- One row per board and day loaded, both sources: the CSV source's release days and the
-- dataset's publish dates, with the hash that tells a re-publication from new data.
-- schema_version: the CSV file's header variant (v0..v3); 'dataset' for the official dataset,
-- whose one layout has a single meaning of every column.
create or replace view v_board_snapshots as
select
    'fboulnois' as source, arena, 'overall' as category, false as style_control, snapshot_date,
    schema_version, row_count, duplicate_rows, data_hash
from snapshots
union all
select
    source, arena, category, style_control, snapshot_date,
    'dataset' as schema_version, row_count, duplicate_rows, data_hash
from dataset_snapshots
