-- One row per complete `arena-pipeline dataset` run (loading, analytics, checks and pages all
-- done): the next run that finds the dataset still at this revision, with the same subsets and
-- analytics code, stops after that one request (ingest/dataset.py confirm_refreshed).
create table if not exists dataset_refreshes (
    revision           varchar not null,    -- the revision every configured subset was loaded at
    subsets            varchar[] not null,  -- the configured subsets, sorted
    code_fingerprint   varchar not null,    -- the analytics code, rules and rename overrides
    refreshed_at       timestamp not null   -- UTC, after the run
);
