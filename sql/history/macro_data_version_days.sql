-- The days that are data versions, per board (board_id and its four columns), from both sources
-- (v_board_snapshots): a release or publish date whose data differs from the board's previous
-- one (repeats and re-publications with the same data_hash are not versions).
-- Distinctness is recomputed from data_hash (not from same_as_previous, which may lag behind).
-- A table macro, because the rename detector needs the versions before data_versions (which
-- needs the identities) can be built.
create or replace macro data_version_days() as table
with releases as (
    select
        b.board_id,
        s.source,
        s.arena,
        s.category,
        s.style_control,
        s.snapshot_date,
        s.schema_version,
        s.row_count,
        s.data_hash,
        lag(s.data_hash) over (partition by b.board_id order by s.snapshot_date) as previous_hash
    from v_board_snapshots as s
    join boards as b using (source, arena, category, style_control)
)

select
    board_id,
    source,
    arena,
    category,
    style_control,
    snapshot_date,
    schema_version,
    row_count,
    row_number() over board_history as version_no,
    lag(snapshot_date) over board_history as previous_date,
    lag(schema_version) over board_history as previous_schema
from releases
where previous_hash is null or data_hash <> previous_hash
window board_history as (partition by board_id order by snapshot_date)
