select rows_read, rows_loaded, boards
from dataset_files
where subset = $subset and split = $split
order by loaded_at desc
limit 1
