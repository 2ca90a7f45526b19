-- Per board, a hash of everything its history rows are computed from in the database: its
-- data-version days (data_version_days(), from v_board_snapshots) and every row of those days
-- (v_board_entries). Repeated releases change neither, so a run that brought no new data to a
-- board finds the same hash and analytics.refresh_analytics keeps that board's rows. Whole rows
-- are hashed; row order does not matter (bit_xor).
-- The same hash over the versions up to the board's stored newest_version_date (analytics_inputs)
-- tells whether the stored versions are unchanged and the board only gained newer ones.
with days as (
    select * from data_version_days()
),

stored as (
    select board_id, newest_version_date as stored_newest
    from analytics_inputs
),

day_hashes as (
    select
        board_id,
        max(snapshot_date) as newest_version_date,
        count(*) as versions,
        bit_xor(hash(days)) as versions_hash,
        count(*) filter (where snapshot_date <= stored_newest) as stored_versions,
        bit_xor(hash(days)) filter (where snapshot_date <= stored_newest) as stored_versions_hash
    from days
    left join stored using (board_id)
    group by board_id
),

entry_hashes as (
    select
        b.board_id,
        bit_xor(hash(entries)) as entries_hash,
        bit_xor(hash(entries)) filter (where entries.snapshot_date <= stored.stored_newest)
            as stored_entries_hash
    from v_board_entries as entries
    join boards as b using (source, arena, category, style_control)
    semi join days using (board_id, snapshot_date)
    left join stored using (board_id)
    group by b.board_id
)

select
    day_hashes.board_id,
    day_hashes.newest_version_date,
    [day_hashes.versions, day_hashes.versions_hash, entry_hashes.entries_hash] as inputs,
    [day_hashes.stored_versions, day_hashes.stored_versions_hash, entry_hashes.stored_entries_hash]
        as stored_inputs
from day_hashes
left join entry_hashes using (board_id)
order by day_hashes.board_id
