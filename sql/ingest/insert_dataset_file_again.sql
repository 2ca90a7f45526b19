-- The same content loaded again at a newer revision: repeat its last row with the new revision.
insert into dataset_files by name
select * replace ($revision as revision, $loaded_at as loaded_at)  -- noqa: AM04
from dataset_files
where subset = $subset and split = $split and sha256 = $sha256
order by loaded_at desc
limit 1
