delete from dataset_snapshots
where source = $source and arena = $arena and style_control = $style_control
