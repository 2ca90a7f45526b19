-- One row per arena and distinct data version: a release whose normalized data differs from the
-- arena's previous release. Repeated releases are not versions, so they yield no movement or event.
-- The signal columns are what the method-change rules read (analytics.METHOD_CHANGE_RULES).
create or replace table data_versions (
    arena                varchar not null,
    snapshot_date        date not null,       -- release day that first published this data
    version_no           integer not null,    -- 1, 2, ... within the arena
    previous_date        date,                -- the arena's previous data version; null for the first
    schema_version       varchar not null,
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
    symmetric_ci_share   double,              -- share of rows whose two CI half-widths are equal
    method_changes       varchar[] not null,  -- kinds detected: rank_meaning, listing_hidden, listing_reshown, score_offset, score_scale, ci_method
    is_method_change     boolean not null,    -- a kind that breaks comparability (every kind but score_offset)
    method_change_reason varchar,             -- the kinds in words; null when there is none
    method_era           integer not null,    -- 1 + breaking method changes so far: values compare within one era
    primary key (arena, snapshot_date)
);
