-- The days that are data versions, per board (source, arena, category, style_control), from both
-- sources (v_board_snapshots): a release or publish date whose data differs from the board's
-- previous one (repeats and re-publications with the same data_hash are not versions).
-- Distinctness is recomputed from data_hash (not from same_as_previous, which may lag behind).
-- A table macro, because the rename detector needs the versions before data_versions (which
-- needs the identities) can be built.
create or replace macro data_version_days() as table
with releases as (
    select
        source, arena, category, style_control, snapshot_date, schema_version, row_count, data_hash,
        lag(data_hash) over (
            partition by source, arena, category, style_control order by snapshot_date
        ) as previous_hash
    from v_board_snapshots
)

select
    source,
    arena,
    category,
    style_control,
    snapshot_date,
    schema_version,
    row_count,
    row_number() over (partition by source, arena, category, style_control order by snapshot_date)
        as version_no,
    lag(snapshot_date) over (partition by source, arena, category, style_control order by snapshot_date)
        as previous_date,
    lag(schema_version) over (partition by source, arena, category, style_control order by snapshot_date)
        as previous_schema
from releases
where previous_hash is null or data_hash <> previous_hash
