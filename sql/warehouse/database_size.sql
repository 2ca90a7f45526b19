-- The block size and block count of the opened database (to compare with the file's size).
select block_size, total_blocks
from pragma_database_size()
where database_name = current_database()
