-- The last block one table's stored data uses in the file (null: none stored). Parameter: $table_name.
select max(block_id) as last_block
from pragma_storage_info($table_name)
where persistent
