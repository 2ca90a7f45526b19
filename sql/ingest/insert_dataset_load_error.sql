insert into dataset_load_errors (subset, split, sha256, error, recorded_at)
values ($subset, $split, $sha256, $error, $recorded_at)
