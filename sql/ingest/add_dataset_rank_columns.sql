-- Databases made before the published rank was read per board and publish date.
alter table dataset_entries add column if not exists rank_ub_derived integer;
