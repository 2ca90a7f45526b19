-- Databases made before a reload compared each publish date's content (their days load once more).
alter table dataset_snapshots add column if not exists content_hash varchar;
