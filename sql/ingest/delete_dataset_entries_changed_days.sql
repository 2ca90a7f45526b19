-- The stored rows of one subset's changed boards and publish dates (stg_dataset_changed_days).
delete from dataset_entries
where source = $source and arena = $arena and style_control = $style_control
  and exists (
      select 1 from dataset_changed_days as changed
      where changed.category = dataset_entries.category
        and changed.snapshot_date = dataset_entries.snapshot_date
  )
