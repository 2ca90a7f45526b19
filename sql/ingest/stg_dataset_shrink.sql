-- What replacing one subset's rows with the file would lose (stg_dataset_staged_days): the publish dates already
-- loaded for its boards that the file no longer has, and its rated rows against those loaded.
with loaded_dates as (
    select distinct snapshot_date
    from dataset_snapshots
    where source = $source and arena = $arena and style_control = $style_control
),
staged_dates as (
    select distinct snapshot_date
    from dataset_staged_days
),
lost as (
    select l.snapshot_date
    from loaded_dates as l
    anti join staged_dates as s on l.snapshot_date = s.snapshot_date
)
select
    (select count(*) from loaded_dates) as dates_loaded,
    (select count(*) from lost) as dates_lost,
    (select list(cast(snapshot_date as varchar) order by snapshot_date)[1:3] from lost) as first_lost,
    (
        select count(*) from dataset_entries
        where source = $source and arena = $arena and style_control = $style_control
    ) as rows_loaded,
    (select coalesce(sum(rated_rows), 0) from dataset_staged_days) as rows_staged
