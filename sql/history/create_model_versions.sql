-- The leaderboard rows of each data version with their model identity: one row per arena,
-- data version and model_id. Movements, events and the user views read from here.
create or replace table model_versions (
    arena            varchar not null,
    snapshot_date    date not null,
    version_no       integer not null,
    model_id         varchar not null,
    model            varchar not null,
    rank_ub          integer not null,
    rank_stylectrl   integer,
    position         integer not null,
    score            double not null,
    ci_plus          integer not null,
    ci_minus         integer not null,
    ci               double not null,         -- mean of the two half-widths
    votes            bigint not null,
    organization     varchar,
    license          varchar,
    knowledge_cutoff varchar,
    url              varchar,
    primary key (arena, snapshot_date, model_id)
);
