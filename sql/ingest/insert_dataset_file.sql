-- Record one loaded file from its per-day counts (stg_dataset_file_days; after the entries are in).
insert into dataset_files by name
select
    $subset as subset,
    $split as split,
    $revision as revision,
    $sha256 as sha256,
    $url as url,
    coalesce(sum(file_rows), 0) as rows_read,
    (select count(*) from dataset_entries
     where source = $source and arena = $arena and style_control = $style_control) as rows_loaded,
    count(*) filter (where rated_rows > 0) as boards,
    coalesce(sum(rated_rows), 0) - (select count(*) from dataset_entries
     where source = $source and arena = $arena and style_control = $style_control) as duplicate_rows,
    coalesce(sum(unrated_rows), 0) as unrated_rows,
    min(snapshot_date) as first_publish_date,
    max(snapshot_date) as last_publish_date,
    $loaded_at as loaded_at
from dataset_file_days
