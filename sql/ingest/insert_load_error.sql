insert into load_errors (arena, snapshot_date, file_name, sha256, error, recorded_at)
values ($arena, $snapshot_date, $file_name, $sha256, $error, $recorded_at)
