-- The day the CSV source first published the data it shows as of $as_of (its newest data
-- version at or before that day): repeated releases do not make old data look fresh.
select max(snapshot_date) as snapshot_date
from snapshots
where arena = $arena and snapshot_date <= $as_of and not coalesce(same_as_previous, false)
