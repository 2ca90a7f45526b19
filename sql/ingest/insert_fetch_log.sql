insert into fetch_log (tag, snapshot_date, file_name, url, http_status, sha256, size_bytes, fetched_at, error)
values ($tag, $snapshot_date, $file_name, $url, $http_status, $sha256, $size_bytes, $fetched_at, $error)
