-- Remember what the recomputed boards' rows were just computed from (refresh_analytics, in its
-- transaction, after deleting the rows of the boards it recomputed). One list per column.
insert into analytics_inputs (
    source, arena, category, style_control, fingerprint, newest_version_date, code_fingerprint, computed_at
)
select
    unnest($source),
    unnest($arena),
    unnest($category),
    unnest(cast($style_control as boolean[])),
    unnest($fingerprint),
    unnest(cast($newest_version_date as date[])),
    $code_fingerprint,
    $computed_at
