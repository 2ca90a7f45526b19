-- The new tallies of one run, one list per column.
insert into derived_rank_tallies by name
select
    unnest($arena) as arena,
    unnest($snapshot_date) as snapshot_date,
    unnest($data_hash) as data_hash,
    $code_hash as code_hash,
    unnest($schema_version) as schema_version,
    unnest($row_total) as row_total,
    unnest($exact_rows) as exact_rows,
    unnest($within_one_rows) as within_one_rows,
    unnest($largest_gap) as largest_gap
