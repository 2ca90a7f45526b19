-- One fingerprint per data version of one board ($source, $arena, $category, $style_control)
-- up to $as_of: a hash over every row its digest
-- page is rendered from (this version's and the previous version's leaderboard rows and
-- snapshot, their data_versions rows, events and movements). Whole rows are hashed, a superset
-- of what the report queries select, so an equal fingerprint means an equal page and the
-- report build skips it. Row order does not matter (bit_xor); rows are unique per key anyway.
-- The two columns of data_versions that come from a least-squares fit are hashed rounded (finer
-- than any page prints them): DuckDB's parallel sums make them differ in the last bits from one
-- recompute to the next, which made every new data version re-render a third of the digests.
with versions as (
    select
        snapshot_date,
        previous_date,
        hash(
            columns(* exclude (score_slope, scale_stretch)),
            round(score_slope, 6),
            round(scale_stretch, 4)
        ) as version_hash
    from data_versions
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date <= $as_of
),

boards as (
    select
        entries.snapshot_date,
        bit_xor(hash(entries)) as entries_hash
    from v_board_entries as entries
    where entries.source = $source
      and entries.arena = $arena
      and entries.category = $category
      and entries.style_control = $style_control
      and entries.snapshot_date in (select snapshot_date from versions)
    group by entries.snapshot_date
),

snapshot_rows as (
    select
        snapshot_date,
        hash(v_board_snapshots) as snapshot_hash
    from v_board_snapshots
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date in (select snapshot_date from versions)
),

events as (
    select
        snapshot_date,
        bit_xor(hash(model_events)) as events_hash
    from model_events
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
    group by snapshot_date
),

movements as (
    select
        snapshot_date,
        bit_xor(hash(rank_movements)) as movements_hash
    from rank_movements
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
    group by snapshot_date
),

own as (
    select
        versions.snapshot_date,
        versions.previous_date,
        hash(
            versions.version_hash, boards.entries_hash, snapshot_rows.snapshot_hash,
            events.events_hash, movements.movements_hash
        ) as own_hash
    from versions
    left join boards using (snapshot_date)
    left join snapshot_rows using (snapshot_date)
    left join events using (snapshot_date)
    left join movements using (snapshot_date)
)

select
    current_version.snapshot_date,
    cast(hash(current_version.own_hash, previous_version.own_hash) as varchar) as inputs_hash
from own as current_version
left join own as previous_version
    on previous_version.snapshot_date = current_version.previous_date
order by current_version.snapshot_date
