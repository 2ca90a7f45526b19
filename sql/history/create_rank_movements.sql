-- One row per arena, data version and model_id listed in both that version and the previous one.
-- Every delta is current - previous: a negative rank delta means the model climbed.
create or replace table rank_movements (
    arena                varchar not null,
    snapshot_date        date not null,
    previous_date        date not null,
    model_id             varchar not null,
    model                varchar not null,    -- name in this version
    rank_ub_prev         integer not null,
    rank_ub              integer not null,
    rank_ub_delta        integer not null,
    rank_stylectrl_prev  integer,
    rank_stylectrl       integer,
    rank_stylectrl_delta integer,
    score_prev           double not null,
    score                double not null,
    score_delta          double not null,
    votes_prev           bigint not null,
    votes                bigint not null,
    votes_delta          bigint not null,
    ci_prev              double not null,
    ci                   double not null,
    significant          boolean not null,    -- |score_delta| > sqrt(ci_prev^2 + ci^2)
    comparable           boolean not null,    -- false across a method change
    date_7d              date,                -- latest data version at or before snapshot_date - 7
    rank_ub_delta_7d     integer,             -- null when the model was not listed on date_7d
    score_delta_7d       double,
    comparable_7d        boolean,             -- false when a method change lies in (date_7d, snapshot_date]
    date_30d             date,
    rank_ub_delta_30d    integer,
    score_delta_30d      double,
    comparable_30d       boolean,
    primary key (arena, snapshot_date, model_id)
);
