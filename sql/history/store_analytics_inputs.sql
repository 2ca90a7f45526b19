-- Remember what the recomputed boards' rows were just computed from (refresh_analytics, in its
-- transaction, after deleting the rows of the boards it recomputed). One list per column.
insert into analytics_inputs (board_id, fingerprint, newest_version_date, code_fingerprint, computed_at)
select
    unnest(cast($board_id as smallint[])),
    unnest($fingerprint),
    unnest(cast($newest_version_date as date[])),
    $code_fingerprint,
    $computed_at
