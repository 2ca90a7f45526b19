-- Databases made before the published rank was read per board and publish date.
alter table dataset_snapshots add column if not exists rank_kind varchar;
