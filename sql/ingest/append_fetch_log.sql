-- Every fetch attempt of a range (incoming_fetch_log), retries and failures included.
insert into fetch_log (tag, snapshot_date, file_name, url, http_status, sha256, size_bytes,
                       fetched_at, error)
select
    tag,
    cast(snapshot_date as date),
    file_name,
    url,
    cast(http_status as integer),
    cast(sha256 as varchar),
    cast(size_bytes as bigint),
    cast(fetched_at as timestamp),
    cast(error as varchar)
from incoming_fetch_log
