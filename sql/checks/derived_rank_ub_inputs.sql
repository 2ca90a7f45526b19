-- The rows the derived-rank cross-check needs: every row of every data version of the CSV
-- source, with the columns the derivation reads (normalize.rank_upper_bounds, one definition).
-- The official dataset's rank_ub is derived by us from its bounds: nothing to cross-check.
select
    v.schema_version,
    e.arena,
    e.snapshot_date,
    e.rank_ub,
    e.score,
    e.ci_plus,
    e.ci_minus
from data_versions as v
join leaderboard_entries as e using (arena, snapshot_date)
where v.source = 'fboulnois'
order by e.arena, e.snapshot_date, e.position
