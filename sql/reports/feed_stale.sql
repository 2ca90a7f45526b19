-- Times the upstream went stale on one board ($source, $arena, $category, $style_control) up to
-- $as_of: after a data version, releases kept
-- arriving for $stale_days days or more with the same data. One row per episode: the data
-- version that kept being repeated and the first release day on which it was $stale_days old.
with versions as (
    select
        snapshot_date,
        lead(snapshot_date) over (order by snapshot_date) as next_version
    from data_versions
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date <= $as_of
),

releases as (
    select snapshot_date
    from v_board_snapshots
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date <= $as_of
)

select
    versions.snapshot_date as data_date,
    min(releases.snapshot_date) as stale_since
from versions
join releases
    on releases.snapshot_date >= versions.snapshot_date + cast($stale_days as integer)
   and (versions.next_version is null or releases.snapshot_date < versions.next_version)
group by versions.snapshot_date
order by data_date
