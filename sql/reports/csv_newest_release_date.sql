-- The CSV source's newest release of $arena on or before $as_of (null: none), whatever data it
-- repeats: the arena's main page exists from its first release on.
select max(snapshot_date) as snapshot_date
from snapshots
where arena = $arena and snapshot_date <= $as_of
