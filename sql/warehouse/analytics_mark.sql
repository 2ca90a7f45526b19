-- The analytics tables as a refresh leaves them: each one's columns (with types) and row count.
-- A refresh that finds another mark than the one it stored knows another program (an older
-- version of this one) rewrote them.
with table_columns as (
    select
        table_name,
        string_agg(column_name || ' ' || data_type, ', ' order by column_index) as columns
    from duckdb_columns()
    where
        database_name = current_database() and schema_name = 'main'
        and table_name in ('data_versions', 'model_aliases', 'model_versions', 'rank_movements', 'model_events')
    group by table_name
),
row_counts as (
    select 'data_versions' as table_name, count(*) as row_count from data_versions
    union all
    select 'model_aliases', count(*) from model_aliases
    union all
    select 'model_versions', count(*) from model_versions
    union all
    select 'rank_movements', count(*) from rank_movements
    union all
    select 'model_events', count(*) from model_events
)
select string_agg(c.table_name || ': ' || c.columns || '; ' || r.row_count || ' rows', ' | ' order by c.table_name) as mark
from table_columns as c
join row_counts as r using (table_name)
