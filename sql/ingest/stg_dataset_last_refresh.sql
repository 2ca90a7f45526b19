-- The newest complete refresh, if no dataset file was loaded after it.
with newest as (
    select revision, subsets, code_fingerprint, refreshed_at
    from dataset_refreshes
    order by refreshed_at desc
    limit 1
)

select revision, subsets, code_fingerprint
from newest
where refreshed_at >= (select coalesce(max(loaded_at), timestamp '-infinity') from dataset_files)
