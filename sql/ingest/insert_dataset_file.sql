-- Record one loaded file from the staged rows (after the entries are in).
insert into dataset_files by name
select
    $subset as subset,
    $split as split,
    $revision as revision,
    $sha256 as sha256,
    $url as url,
    count(*) as rows_read,
    (select count(*) from dataset_entries
     where source = $source and arena = $arena and style_control = $style_control) as rows_loaded,
    count(distinct (category, snapshot_date)) filter (where rated) as boards,  -- noqa: ST08, LT06
    count(*) filter (where rated) - (select count(*) from dataset_entries
     where source = $source and arena = $arena and style_control = $style_control) as duplicate_rows,
    count(*) filter (where not rated) as unrated_rows,
    min(snapshot_date) as first_publish_date,
    max(snapshot_date) as last_publish_date,
    $loaded_at as loaded_at
from dataset_staged
