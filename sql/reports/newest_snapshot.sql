-- The day reports are written as of by default: the newest release loaded, of any arena
-- (null while nothing is loaded). Weekly and monthly windows end here, so a quiet week reads
-- as quiet instead of repeating the last week that had news.
select max(snapshot_date) as as_of
from snapshots
