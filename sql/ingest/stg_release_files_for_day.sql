-- The bytes to load for one release day: per file name, the newest successful fetch.
with latest_fetch as (
    select
        file_name,
        sha256,
        row_number() over (partition by file_name order by fetched_at desc) as recency
    from fetch_log
    where snapshot_date = $snapshot_date
      and http_status = 200
)
select
    latest_fetch.file_name,
    latest_fetch.sha256,
    raw_files.content
from latest_fetch
join raw_files using (sha256)
where latest_fetch.recency = 1
order by latest_fetch.file_name
