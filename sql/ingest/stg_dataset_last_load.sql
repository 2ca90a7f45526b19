-- The revision and content of the newest successful load of one subset's split.
select revision, sha256
from dataset_files
where subset = $subset and split = $split
order by loaded_at desc
limit 1
