-- The normalized leaderboard: one row per arena, release day and model.
create table if not exists leaderboard_entries (
    arena            varchar not null,
    snapshot_date    date not null,
    model            varchar not null,
    rank_ub          integer not null,    -- published (v0-v2) or derived from score and CI (v3)
    rank_stylectrl   integer,             -- null before v2
    position         integer not null,    -- row position in the published file, 1..N
    score            double not null,
    ci_plus          integer not null,
    ci_minus         integer not null,
    votes            bigint not null,
    organization     varchar,
    license          varchar,
    knowledge_cutoff varchar,             -- null for Unknown / empty; Online and dates as published
    url              varchar,
    primary key (arena, snapshot_date, model)
);
