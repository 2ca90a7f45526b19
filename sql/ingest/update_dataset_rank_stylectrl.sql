-- Raw boards show the style-controlled rank of the same model, category and publish date, as the
-- CSV source's rank_stylectrl did (null where the style-controlled board does not list it), on
-- the boards and dates a reload changed. Both sides are read for those dates only: a lookup
-- into the whole style-controlled history cost ~0.15 s per text subset whatever the change.
with styled as (
    select sc.category, sc.snapshot_date, sc.model, sc.rank_ub
    from dataset_entries as sc
    semi join dataset_changed_days using (category, snapshot_date)
    where sc.source = $source and sc.arena = $arena and sc.style_control
)

update dataset_entries as raw
set rank_stylectrl = (
    select styled.rank_ub
    from styled
    where
        styled.category = raw.category and styled.snapshot_date = raw.snapshot_date
        and styled.model = raw.model
)
where raw.source = $source and raw.arena = $arena and not raw.style_control
  -- Only the boards and dates just reloaded, on either side.
  and exists (
      select 1 from dataset_changed_days as changed
      where changed.category = raw.category and changed.snapshot_date = raw.snapshot_date
  )
