-- Arena-days just loaded (incoming_snapshots) that list far fewer rows than the arena's previous
-- release: loaded, but worth a warning (a file cut at a line boundary parses cleanly).
-- Parameter: $max_drop_share (0.2 = warn when more than 20% of the rows disappear).
with ordered as (
    select
        arena,
        snapshot_date,
        row_count,
        lag(snapshot_date) over (partition by arena order by snapshot_date) as previous_date,
        lag(row_count) over (partition by arena order by snapshot_date) as previous_rows
    from snapshots
)

select o.arena, o.snapshot_date, o.row_count, o.previous_date, o.previous_rows
from ordered as o
join incoming_snapshots as s
    on s.arena = o.arena and cast(s.snapshot_date as date) = o.snapshot_date
where o.row_count < (1 - $max_drop_share) * o.previous_rows
order by o.snapshot_date, o.arena
