-- The newest publish date of any dataset board loaded (null: none).
select max(snapshot_date) as snapshot_date
from dataset_snapshots
where source = 'lmarena_dataset'
