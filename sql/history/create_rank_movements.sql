-- One row per board, data version and model_id listed in both that version and the previous one.
-- Every delta is current - previous: a negative rank delta means the model climbed.
-- The *_adj deltas remove the field's common offset (data_versions.score_shift) in between, and
-- significance is decided on them: a model that moved with everyone else did not move.
-- Rank, votes, CI and significance are null where a version published no bounds or votes.
create or replace table rank_movements (
    board_id             smallint not null,  -- the board (boards.board_id); the four columns after it describe it
    source               varchar not null,
    arena                varchar not null,
    category             varchar not null,
    style_control        boolean not null,
    snapshot_date        date not null,
    previous_date        date not null,
    model_id             varchar not null,
    model                varchar not null,    -- name in this version
    rank_ub_prev         integer,
    rank_ub              integer,
    rank_ub_delta        integer,
    rank_stylectrl_prev  integer,
    rank_stylectrl       integer,
    rank_stylectrl_delta integer,
    score_prev           double not null,
    score                double not null,
    score_delta          double not null,
    score_delta_adj      double not null,     -- score_delta - data_versions.score_shift
    votes_prev           bigint,
    votes                bigint,
    votes_delta          bigint,
    ci_prev              double,
    ci                   double,
    significant          boolean,             -- |score_delta_adj| > combined_ci(ci_prev, ci) + score_shift_error; null without bounds
    comparable           boolean not null,    -- false across a method change that breaks comparability
    date_7d              date,                -- latest data version at or before snapshot_date - 7, if the model was listed there
    rank_ub_delta_7d     integer,
    score_delta_7d       double,
    score_delta_adj_7d   double,              -- minus the common offsets of the versions in (date_7d, snapshot_date]
    significant_7d       boolean,             -- |score_delta_adj_7d| > combined_ci of the two end points (+ the offsets' errors)
    comparable_7d        boolean,             -- false when a breaking method change lies in (date_7d, snapshot_date]
    date_30d             date,
    rank_ub_delta_30d    integer,
    score_delta_30d      double,
    score_delta_adj_30d  double,
    significant_30d      boolean,
    comparable_30d       boolean,
    primary key (board_id, snapshot_date, model_id)
);
