-- One row per board (category) and publish date of the staged file that has rated rows, with
-- what its published rank is (stg_dataset_rank_kinds).
insert into dataset_snapshots by name
select
    $source as source,
    $arena as arena,
    category,
    $style_control as style_control,
    snapshot_date,
    $subset as subset,
    any_value(kinds.rank_kind) as rank_kind,
    $sha256 as sha256,
    count(distinct model) filter (where rated) as row_count,
    count(*) filter (where rated) - count(distinct model) filter (where rated) as duplicate_rows,
    count(*) filter (where not rated) as unrated_rows,
    -- Order-free and fast on a million rows: equal hashes = the same rows published again.
    cast(bit_xor(hash(model, score, rating_lower, rating_upper, votes, position)) filter (where rated)
         as varchar) as data_hash
from dataset_staged
left join dataset_rank_kinds as kinds using (category, snapshot_date)
group by category, snapshot_date
having count(*) filter (where rated) > 0  -- unrated rows alone make no board; dataset_files counts them
