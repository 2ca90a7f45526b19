-- Raw boards show the style-controlled rank of the same model, category and publish date, as the
-- CSV source's rank_stylectrl did (null where the style-controlled board does not list it), on
-- the boards and dates a reload changed.
update dataset_entries as raw
set rank_stylectrl = (
    select sc.rank_ub
    from dataset_entries as sc
    where sc.source = raw.source and sc.arena = raw.arena and sc.style_control
      and sc.category = raw.category and sc.snapshot_date = raw.snapshot_date and sc.model = raw.model
)
where raw.source = $source and raw.arena = $arena and not raw.style_control
  -- Only the boards and dates just reloaded, on either side.
  and exists (
      select 1 from dataset_changed_days as changed
      where changed.category = raw.category and changed.snapshot_date = raw.snapshot_date
  )
