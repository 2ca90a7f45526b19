-- Per board, a hash of everything its history rows are computed from in the database: its
-- data-version days (data_version_days(), from v_board_snapshots) and every row of those days
-- (v_board_entries). Repeated releases change neither, so a run that brought no new data to a
-- board finds the same hash and analytics.refresh_analytics keeps that board's rows. Whole rows
-- are hashed; row order does not matter (bit_xor).
with days as (
    select * from data_version_days()
),

day_hashes as (
    select
        source,
        arena,
        category,
        style_control,
        count(*) as versions,
        bit_xor(hash(days)) as versions_hash
    from days
    group by source, arena, category, style_control
),

entry_hashes as (
    select
        entries.source,
        entries.arena,
        entries.category,
        entries.style_control,
        bit_xor(hash(entries)) as entries_hash
    from v_board_entries as entries
    semi join days using (source, arena, category, style_control, snapshot_date)
    group by entries.source, entries.arena, entries.category, entries.style_control
)

select
    day_hashes.source,
    day_hashes.arena,
    day_hashes.category,
    day_hashes.style_control,
    day_hashes.versions,
    day_hashes.versions_hash,
    entry_hashes.entries_hash
from day_hashes
left join entry_hashes using (source, arena, category, style_control)
order by day_hashes.source, day_hashes.arena, day_hashes.category, day_hashes.style_control
