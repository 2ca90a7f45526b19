-- Archive one downloaded file; a content already archived is kept as first seen.
insert into raw_files (sha256, size_bytes, content, first_url, first_fetched_at)
values ($sha256, $size_bytes, $content, $url, $fetched_at)
on conflict do nothing
