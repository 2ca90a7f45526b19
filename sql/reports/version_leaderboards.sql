-- The leaderboard rows of every data version of $arena from $start_date to $end_date, with
-- the columns and order of leaderboard.sql (a data version's day always has its own snapshot,
-- so "the latest snapshot at or before the day" is the day itself): the report build fetches
-- the leaderboards of many digests in one query instead of one query per digest. The rows are
-- the CSV source's; the data versions are those of the board $source, $arena, $category,
-- $style_control (the CSV board of the arena).
select
    entries.arena,
    entries.snapshot_date,
    snapshots.schema_version,
    entries.model,
    entries.rank_ub,
    entries.rank_stylectrl,
    entries.position,
    entries.score,
    entries.ci_plus,
    entries.ci_minus,
    entries.votes,
    entries.organization,
    entries.license,
    entries.knowledge_cutoff,
    entries.url
from data_versions as versions
join snapshots
    on snapshots.arena = versions.arena
   and snapshots.snapshot_date = versions.snapshot_date
join leaderboard_entries as entries
    on entries.arena = versions.arena
   and entries.snapshot_date = versions.snapshot_date
where versions.source = $source
  and versions.arena = $arena
  and versions.category = $category
  and versions.style_control = $style_control
  and versions.snapshot_date between $start_date and $end_date
order by entries.snapshot_date, entries.position
