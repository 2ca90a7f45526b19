-- One row per board (category) and publish date of a parquet file, read straight from the file
-- (dataset_typed_rows): its row counts, the hash of its loaded rows (data_hash) and of all its
-- rows and columns (content_hash). One pass over the file; only the rows of the days whose hash
-- changed are read again (stg_dataset_kept).
create or replace temp table dataset_file_days as
select
    category,
    snapshot_date,
    count(*) as file_rows,
    count(*) filter (where rated) as rated_rows,
    count(distinct model) filter (where rated) as row_count,
    count(*) filter (where rated) - count(distinct model) filter (where rated) as duplicate_rows,
    count(*) filter (where not rated) as unrated_rows,
    -- Order-free and fast on a million rows: equal hashes = the same rows published again.
    cast(bit_xor(hash(model, score, rating_lower, rating_upper, votes, position)) filter (where rated)
         as varchar) as data_hash,
    cast(bit_xor(hash(model, score, rated, rating_lower, rating_upper, variance, votes, position,
                      organization, license)) as varchar) as content_hash
from dataset_typed_rows($path)
group by category, snapshot_date
