-- Recomputed over every arena so that days loaded out of order still compare to their
-- true predecessor.
update snapshots
set same_as_previous = coalesce(ordered.previous_hash = snapshots.data_hash, false)
from (
    select
        arena,
        snapshot_date,
        lag(data_hash) over (partition by arena order by snapshot_date) as previous_hash
    from snapshots
) as ordered
where ordered.arena = snapshots.arena
  and ordered.snapshot_date = snapshots.snapshot_date
