-- Every publish date of the subset is now listed by the newest file, changed or not.
update dataset_snapshots
set subset = $subset, sha256 = $sha256
where source = $source and arena = $arena and style_control = $style_control
