-- The newest publish date of a raw dataset board at or before $as_of (null: none loaded).
select max(snapshot_date) as snapshot_date
from dataset_snapshots
where source = 'lmarena_dataset' and arena = $arena and category = $category
  and not style_control and snapshot_date <= $as_of
