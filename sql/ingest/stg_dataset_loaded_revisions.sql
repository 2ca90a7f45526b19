-- The revision of each subset's newest load (one row per subset loaded).
select subset, arg_max(revision, loaded_at) as revision
from dataset_files
where split = $split and list_contains($subsets, subset)
group by subset
