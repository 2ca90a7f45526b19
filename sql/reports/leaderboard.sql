-- The leaderboard page's rows for one arena as of $snapshot_date: the latest snapshot at or
-- before that day (a past date without a release still gets the page that was current then),
-- in upstream row order, with the snapshot's schema version, the data version it repeats
-- (data_version_date: the day this data was first published) and the release day itself.
-- The rows are the CSV source's (leaderboard_entries); the data version is looked up on the
-- board $source, $arena, $category, $style_control (the CSV board of the arena).
with chosen as (
    select snapshot_date, schema_version
    from snapshots
    where arena = $arena
      and snapshot_date <= $snapshot_date
    order by snapshot_date desc
    limit 1
),

version as (
    select max(v.snapshot_date) as data_version_date
    from data_versions as v, chosen
    where v.source = $source
      and v.arena = $arena
      and v.category = $category
      and v.style_control = $style_control
      and v.snapshot_date <= chosen.snapshot_date
)

select
    entries.arena,
    entries.snapshot_date,
    coalesce(version.data_version_date, entries.snapshot_date) as data_version_date,
    chosen.snapshot_date as latest_release_date,
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
cross join version
join leaderboard_entries as entries
    on entries.arena = $arena
   and entries.snapshot_date = chosen.snapshot_date
order by entries.position
