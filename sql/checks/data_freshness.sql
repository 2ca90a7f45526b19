-- Soft invariant: per arena, the newest data version (when the data last changed) and the
-- newest release loaded (the last time it was checked).
select
    v.arena,
    max(v.snapshot_date) as data_version_date,
    (select max(s.snapshot_date) from snapshots as s where s.arena = v.arena) as latest_release_date
from data_versions as v
group by v.arena
order by v.arena
