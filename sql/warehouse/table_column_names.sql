-- The column names of one table of the opened database. Parameter: $table_name.
select column_name
from duckdb_columns()
where database_name = current_database() and schema_name = 'main' and table_name = $table_name
