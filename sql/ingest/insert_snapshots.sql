-- One row per arena-day loaded in a range; same_as_previous is set afterwards over all days.
insert into snapshots (arena, snapshot_date, file_name, sha256, schema_version, row_count,
                       duplicate_rows, data_hash, same_as_previous)
select
    arena,
    cast(snapshot_date as date),
    file_name,
    sha256,
    schema_version,
    row_count,
    duplicate_rows,
    data_hash,
    null
from incoming_snapshots
