-- One row per changed board (category) and publish date of the staged file.
insert into dataset_snapshots by name
select
    $source as source,
    $arena as arena,
    staged.category,
    $style_control as style_control,
    staged.snapshot_date,
    $subset as subset,
    $sha256 as sha256,
    staged.row_count,
    staged.duplicate_rows,
    staged.unrated_rows,
    staged.data_hash,
    staged.content_hash
from dataset_staged_days as staged
semi join dataset_changed_days using (category, snapshot_date)
