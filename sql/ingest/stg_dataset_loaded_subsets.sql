-- The subsets of one split loaded at least once (what an unchanged revision is checked against
-- when every subset the source has is loaded).
select distinct subset
from dataset_files
where split = $split
order by subset
