-- The snapshots of every arena-day about to be loaded again (incoming_snapshots).
delete from snapshots as t
using incoming_snapshots as s
where t.arena = s.arena
  and t.snapshot_date = cast(s.snapshot_date as date)
