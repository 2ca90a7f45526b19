-- The derived-rank cross-check's count for each data version, kept so that a run derives the
-- ranks of new or changed versions only (analytics.check_derived_rank_ub_agrees). A version's
-- row is valid while its data_hash and the derivation's code_hash are the current ones.
create table if not exists derived_rank_tallies (
    arena           varchar not null,
    snapshot_date   date not null,
    data_hash       varchar not null,     -- snapshots.data_hash of the version's rows
    code_hash       varchar not null,     -- the derivation's code (normalize.py)
    schema_version  varchar not null,
    row_total       integer not null,
    exact_rows      integer not null,     -- derived rank_ub equal to the published one
    within_one_rows integer not null,     -- at most one place apart
    largest_gap     integer not null,
    primary key (arena, snapshot_date)
);
