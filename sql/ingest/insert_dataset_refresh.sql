insert into dataset_refreshes (revision, subsets, code_fingerprint, refreshed_at)
values ($revision, $subsets, $code_fingerprint, $refreshed_at)
