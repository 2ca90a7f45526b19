-- Where a dataset board's publish date published an upper-bound rank (dataset_snapshots.rank_kind),
-- how often the rank derived from its bounds (rank_ub_derived) agrees with it, per arena.
select
    e.arena,
    count(distinct [e.category, cast(e.style_control as varchar), cast(e.snapshot_date as varchar)])
        as board_dates,
    count(*) as row_total,
    count(*) filter (where e.rank_ub_derived = e.rank_ub) as exact_rows,
    count(*) filter (where abs(e.rank_ub_derived - e.rank_ub) <= 1) as within_one_rows,
    max(abs(e.rank_ub_derived - e.rank_ub)) as largest_gap
from dataset_entries as e
join dataset_snapshots as s
    using (source, arena, category, style_control, snapshot_date)
where s.rank_kind = 'upper_bound' and e.rank_ub_derived is not null
group by e.arena
order by e.arena
