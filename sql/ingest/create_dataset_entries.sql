-- Rows of LMArena's official dataset: one row per board, publish date and model.
-- A board is (source, arena, category, style_control); the CSV source's boards are
-- (fboulnois, text|vision|image, overall, false) and live in leaderboard_entries.
create table if not exists dataset_entries (
    source           varchar not null,    -- 'lmarena_dataset'
    arena            varchar not null,    -- the subset without `_style_control`
    category         varchar not null,    -- overall, chinese, coding, ...
    style_control    boolean not null,    -- true for the `*_style_control` subsets
    snapshot_date    date not null,       -- leaderboard_publish_date
    model            varchar not null,    -- model_name as published (a slug)
    rank_ub          integer,             -- the published rank where it is an upper bound (dataset_snapshots.rank_kind), else rank_ub_derived
    rank_ub_derived  integer,             -- 1 + models whose lower bound is above this upper bound; null without bounds
    rank_stylectrl   integer,             -- raw boards: rank_ub of the same model on the style-controlled board
    position         integer not null,    -- the published `rank` as is (a row number or an upper bound)
    score            double not null,     -- rating
    ci_plus          double,              -- rating_upper - rating (null: bound not published)
    ci_minus         double,              -- rating - rating_lower
    votes            bigint,              -- vote_count (null before the Bradley-Terry era)
    organization     varchar,             -- null when published empty
    license          varchar,
    knowledge_cutoff varchar,             -- not published by the dataset: always null
    url              varchar,             -- not published by the dataset: always null
    variance         double
    -- One row per (source, arena, category, style_control, snapshot_date, model) by construction
    -- (insert_dataset_entries keeps one copy of a model per board): no primary key, whose index
    -- would make reloading a subset's million rows several times slower and the file twice as big.
);
