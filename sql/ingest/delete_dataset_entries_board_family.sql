-- Every row of one subset (its arena and style-control flag): a full split replaces them all.
delete from dataset_entries
where source = $source and arena = $arena and style_control = $style_control
