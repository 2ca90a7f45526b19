-- Whether the analytics tables are computed per board (data_versions has the board columns):
-- only then do the official dataset's boards get trend reports.
select count(*) = 2 as present
from information_schema.columns
where table_name = 'data_versions' and column_name in ('source', 'category')
