-- Archive the distinct files of a range (incoming_raw_files, registered by ingest.write_range);
-- a content already archived is kept as first seen.
insert into raw_files (sha256, size_bytes, content, first_url, first_fetched_at)
select sha256, size_bytes, content, first_url, first_fetched_at
from incoming_raw_files
on conflict do nothing
