-- Whether the cross-source identities exist (the analytics have run since they were added).
select count(*) = 1 as present
from information_schema.tables
where table_name = 'model_identities'
