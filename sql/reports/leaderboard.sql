-- The leaderboard page's rows for one arena as of $snapshot_date: the latest snapshot at or
-- before that day (a past date without a release still gets the page that was current then),
-- in upstream row order, with the snapshot's schema version (v3 => rank_ub is derived).
with chosen as (
    select snapshot_date, schema_version
    from snapshots
    where arena = $arena
      and snapshot_date <= $snapshot_date
    order by snapshot_date desc
    limit 1
)
select
    entries.arena,
    entries.snapshot_date,
    chosen.schema_version,
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
from chosen
join leaderboard_entries as entries
    on entries.arena = $arena
   and entries.snapshot_date = chosen.snapshot_date
order by entries.position
