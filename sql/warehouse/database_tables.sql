-- The tables of the opened database (its main schema), to tell ours from another program's.
select table_name
from duckdb_tables()
where database_name = current_database() and schema_name = 'main'
