-- The columns of one table or view, in order: the column schema Dagster shows for each asset.
-- Parameter: $table_name.
select
    column_name,
    data_type,
    is_nullable = 'YES' as nullable
from information_schema.columns
where table_schema = 'main' and table_name = $table_name
order by ordinal_position
