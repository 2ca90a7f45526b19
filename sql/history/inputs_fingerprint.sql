-- A hash of everything the history tables are computed from in the database: the data-version
-- days (data_version_days(), from snapshots) and every leaderboard row of those days. Repeated
-- releases change neither, so a daily run that brought no new data finds the same hash and
-- analytics.refresh_analytics keeps the tables it computed last time. Whole rows are hashed.
select
    (select count(*) from data_version_days()) as versions,
    (select bit_xor(hash(days)) from data_version_days() as days) as versions_hash,
    (
        select bit_xor(hash(leaderboard_entries))
        from leaderboard_entries
        semi join data_version_days() using (arena, snapshot_date)
    ) as entries_hash
