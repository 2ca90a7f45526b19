-- Databases made before each attempt was logged with its HTTP status.
alter table dataset_fetch_log add column if not exists http_status integer;
