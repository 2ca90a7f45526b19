-- The rows the derived-rank cross-check needs, for the CSV source's data versions it has not
-- counted yet (no tally with the version's data_hash and the derivation's $code_hash), with the
-- columns the derivation reads (normalize.rank_upper_bounds, one definition). The official
-- dataset's rank_ub is derived by us from its bounds: nothing to cross-check there.
select
    v.schema_version,
    e.arena,
    e.snapshot_date,
    s.data_hash,
    e.rank_ub,
    e.score,
    e.ci_plus,
    e.ci_minus
from data_versions as v
join snapshots as s using (arena, snapshot_date)
join leaderboard_entries as e using (arena, snapshot_date)
left join derived_rank_tallies as t
    on
        v.arena = t.arena
        and v.snapshot_date = t.snapshot_date
        and s.data_hash = t.data_hash
        and t.code_hash = $code_hash
where v.source = 'fboulnois' and t.arena is null
order by e.arena, e.snapshot_date, e.position
