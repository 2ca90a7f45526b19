-- One row per arena and distinct data version: a release whose normalized data differs from the
-- arena's previous release. Repeated releases are not versions, so they yield no movement or event.
create or replace table data_versions (
    arena                varchar not null,
    snapshot_date        date not null,       -- release day that first published this data
    version_no           integer not null,    -- 1, 2, ... within the arena
    previous_date        date,                -- the arena's previous data version; null for the first
    schema_version       varchar not null,
    row_count            integer not null,
    models_in_common     integer,             -- names listed in both this and the previous version
    scores_shifted       integer,             -- of those, how many moved by more than their combined CI
    rank_meaning_changed boolean not null,    -- the header variant changed what `rank` means (v2 -> v3)
    scores_moved_at_once boolean not null,    -- most models in common moved beyond their combined CI
    is_method_change     boolean not null,    -- either of the two: the upstream changed its method
    method_change_reason varchar,
    method_era           integer not null,    -- 1 + method changes so far: values compare within one era
    primary key (arena, snapshot_date)
);
