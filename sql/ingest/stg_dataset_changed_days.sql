-- The boards and publish dates of one subset whose rows a reload replaces: those of the staged
-- file whose content differs from what is stored (or is not stored), and those stored that the
-- file no longer has. A file that only appends a publish date changes that date alone.
create or replace temp table dataset_changed_days as
with stored as (
    select category, snapshot_date, content_hash
    from dataset_snapshots
    where source = $source and arena = $arena and style_control = $style_control
)

select staged.category, staged.snapshot_date
from dataset_staged_days as staged
left join stored using (category, snapshot_date)
where stored.content_hash is distinct from staged.content_hash
union all
select stored.category, stored.snapshot_date
from stored
anti join dataset_staged_days using (category, snapshot_date)
