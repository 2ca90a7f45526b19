-- Whether the official dataset's tables exist (a CSV-only database has none).
select count(*) = 2 as present
from information_schema.tables
where table_name in ('dataset_entries', 'dataset_snapshots')
