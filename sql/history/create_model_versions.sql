-- The leaderboard rows of each data version with their model identity: one row per board,
-- data version and model_id. Movements, events and the user views read from here.
-- CI bounds, rank_ub and votes are null where the official dataset published no bounds or votes
-- (its 2023 Elo era); the CSV source always has them.
create or replace table model_versions (
    board_id         smallint not null,  -- the board (boards.board_id); the four columns after it describe it
    source           varchar not null,
    arena            varchar not null,
    category         varchar not null,
    style_control    boolean not null,
    snapshot_date    date not null,
    version_no       integer not null,
    model_id         varchar not null,
    model            varchar not null,
    rank_ub          integer,                 -- null without published bounds
    rank_stylectrl   integer,
    position         integer not null,
    score            double not null,
    ci_plus          double,                  -- null without published bounds
    ci_minus         double,
    ci               double,                  -- mean of the two half-widths
    votes            bigint,                  -- null when not published
    organization     varchar,
    license          varchar,
    knowledge_cutoff varchar,
    url              varchar,
    primary key (board_id, snapshot_date, model_id)
);
