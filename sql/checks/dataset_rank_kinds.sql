-- How many dataset board publish dates publish each kind of rank (ingest/stg_dataset_rank_kinds).
select
    coalesce(rank_kind, 'unknown') as rank_kind,
    count(*) as board_dates
from dataset_snapshots
group by all
order by rank_kind
