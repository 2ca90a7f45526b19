-- One row per board (category) and publish date of the staged file that has rated rows, with the
-- hash of its loaded rows (data_hash) and of all its rows and columns (content_hash).
create or replace temp table dataset_staged_days as
select
    category,
    snapshot_date,
    count(distinct model) filter (where rated) as row_count,
    count(*) filter (where rated) - count(distinct model) filter (where rated) as duplicate_rows,
    count(*) filter (where not rated) as unrated_rows,
    -- Order-free and fast on a million rows: equal hashes = the same rows published again.
    cast(bit_xor(hash(model, score, rating_lower, rating_upper, votes, position)) filter (where rated)
         as varchar) as data_hash,
    cast(bit_xor(hash(model, score, rated, rating_lower, rating_upper, variance, votes, position,
                      organization, license)) as varchar) as content_hash
from dataset_staged
group by category, snapshot_date
having count(*) filter (where rated) > 0  -- unrated rows alone make no board; dataset_files counts them
