-- Files of a range that were fetched but could not be loaded (incoming_load_errors).
insert into load_errors (arena, snapshot_date, file_name, sha256, error, recorded_at)
select
    cast(arena as varchar),
    cast(snapshot_date as date),
    cast(file_name as varchar),
    cast(sha256 as varchar),
    cast(error as varchar),
    cast(recorded_at as timestamp)
from incoming_load_errors
