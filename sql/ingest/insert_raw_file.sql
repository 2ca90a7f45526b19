-- Archive one downloaded file that raw_files does not hold yet (stg_raw_file_archived).
insert into raw_files (sha256, size_bytes, content, first_url, first_fetched_at)
values ($sha256, $size_bytes, $content, $url, $fetched_at)
