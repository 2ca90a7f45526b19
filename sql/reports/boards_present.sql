-- Whether the board dimension (boards, with its headline flag) exists yet.
select count(*) = 1 as present
from information_schema.tables
where table_name = 'boards'
