-- Tallies of days that are no longer a data version of the CSV source, or whose data or
-- derivation changed.
delete from derived_rank_tallies as t
where not exists (
    select 1
    from data_versions as v
    join snapshots as s using (arena, snapshot_date)
    where
        v.source = 'fboulnois'
        and v.arena = t.arena
        and v.snapshot_date = t.snapshot_date
        and s.data_hash = t.data_hash
        and t.code_hash = $code_hash
)
