insert into dataset_fetch_log (
    what, subset, split, url, revision, sha256, size_bytes, fetched_at, error, http_status
)
values (
    $what, $subset, $split, $url, $revision, $sha256, $size_bytes, $fetched_at, $error, $http_status
)
