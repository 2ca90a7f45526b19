-- One row per board (source, arena, category, style_control) and distinct data version: a release
-- (or dataset publish date) whose data differs from the board's previous one. Repeated releases
-- and re-publications are not versions, so they yield no movement or event.
-- The signal columns are what the method-change rules read (analytics.METHOD_CHANGE_RULES).
create or replace table data_versions (
    board_id             smallint not null,  -- the board (boards.board_id); the four columns after it describe it
    source               varchar not null,    -- fboulnois (the CSV files) | lmarena_dataset
    arena                varchar not null,
    category             varchar not null,    -- overall for the CSV source
    style_control        boolean not null,    -- false for the CSV source
    snapshot_date        date not null,       -- release day that first published this data
    version_no           integer not null,    -- 1, 2, ... within the board
    previous_date        date,                -- the board's previous data version; null for the first
    schema_version       varchar not null,    -- CSV header variant v0..v3; 'dataset' for the official dataset
    row_count            integer not null,
    models_in_common     integer,             -- model_ids listed in both this and the previous version
    models_hidden        integer,             -- listed in the previous version, not in this one (renames excluded)
    models_reshown       integer,             -- not in the previous version, listed in an earlier one
    score_shift          double not null,     -- common offset of the field's scores; 0 when there is none
    score_shift_error    double not null,     -- how far the offset may be off for one model (rounding); 0 without offset
    offset_agreement     double,              -- share of models in common whose change is within the tolerance of the median change
    score_slope          double,              -- least-squares slope of new on old scores of the models in common
    scale_stretch        double,              -- |slope - 1| x score range of the models in common, in points
    scores_moved         integer,             -- models in common whose raw change exceeds the combined CI
    scores_moved_adj     integer,             -- the same after removing score_shift
    symmetric_ci_share   double,              -- share of the rows with bounds whose two CI half-widths are equal
    bounded_share        double not null,     -- share of rows that publish both CI bounds (the dataset's Elo era: none)
    method_changes       varchar[] not null,  -- kinds detected: rank_meaning, listing_hidden, listing_reshown, score_offset, score_scale, ci_method
    is_method_change     boolean not null,    -- a kind that breaks comparability (every kind but score_offset)
    method_change_reason varchar,             -- the kinds in words; null when there is none
    method_era           integer not null,    -- 1 + breaking method changes so far: values compare within one era
    primary key (board_id, snapshot_date)
);
