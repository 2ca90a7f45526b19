-- The leaderboard rows of every data version of one raw dataset board ($source, $arena,
-- $category, $style_control) from $start_date to $end_date, with the columns and order of
-- dataset_board.sql: the report build fetches the leaderboards of many digests in one query.
-- has_style_control_board: the style-controlled twin of the board was published that day.
with versions as (
    select snapshot_date
    from data_versions
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date between $start_date and $end_date
),

twin_days as (
    select snapshot_date
    from dataset_snapshots
    where source = $source
      and arena = $arena
      and category = $category
      and style_control
      and snapshot_date between $start_date and $end_date
)

select
    entries.arena,
    entries.category,
    entries.snapshot_date,
    entries.model,
    entries.rank_ub,
    entries.rank_stylectrl,
    entries.position,
    entries.score,
    entries.ci_plus,
    entries.ci_minus,
    entries.votes,
    entries.organization,
    entries.license,
    entries.knowledge_cutoff,
    entries.url,
    twin_days.snapshot_date is not null as has_style_control_board
from versions
join dataset_entries as entries
    on entries.source = $source
   and entries.arena = $arena
   and entries.category = $category
   and entries.style_control = $style_control
   and entries.snapshot_date = versions.snapshot_date
left join twin_days
    on twin_days.snapshot_date = versions.snapshot_date
order by entries.snapshot_date, entries.position, entries.model
