-- The dataset revision the newest successful revision check found, and the day (UTC) of that
-- check: the pages' "newest revision checked" (null while no check has named a revision).
select
    revision,
    cast(fetched_at as date) as checked_on
from dataset_fetch_log
where what = 'revision' and error is null and revision is not null
order by fetched_at desc
limit 1
