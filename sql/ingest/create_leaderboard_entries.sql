-- The normalized leaderboard: one row per arena, release day and model.
create table if not exists leaderboard_entries (
    arena            varchar not null,
    snapshot_date    date not null,
    model            varchar not null,
    rank_ub          integer not null,    -- published rank upper bound (v3: its column rank_stylectrl)
    rank_stylectrl   integer,             -- style-controlled rank: v2 only (null in v0, v1, v3)
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
