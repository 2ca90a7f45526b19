-- The rows of every arena-day about to be loaded again (incoming_snapshots): delete, then insert.
delete from leaderboard_entries as e
using incoming_snapshots as s
where e.arena = s.arena
  and e.snapshot_date = cast(s.snapshot_date as date)
