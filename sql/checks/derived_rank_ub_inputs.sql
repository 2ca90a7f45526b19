-- The rows the derived-rank cross-check needs: every row of every data version, with the
-- columns the derivation reads (normalize.rank_upper_bounds, one definition).
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
order by e.arena, e.snapshot_date, e.position
