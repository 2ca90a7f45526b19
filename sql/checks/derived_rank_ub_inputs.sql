-- The rows the derived-rank cross-check needs: every row of every data version, with the
-- columns of normalize.Entry (the derivation is normalize.derive_rank_ub, one definition).
select
    v.schema_version,
    e.arena,
    e.snapshot_date,
    e.model,
    e.rank_ub,
    e.rank_stylectrl,
    e.position,
    e.score,
    e.ci_plus,
    e.ci_minus,
    e.votes,
    e.organization,
    e.license,
    e.knowledge_cutoff,
    e.url
from data_versions as v
join leaderboard_entries as e using (arena, snapshot_date)
order by e.arena, e.snapshot_date, e.position
