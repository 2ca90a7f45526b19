-- One parquet file's rows, typed (the file passed stg_dataset_first_bad_cell): a table macro, so
-- that the per-day hashes (stg_dataset_file_days) and the rows of the changed days
-- (stg_dataset_kept) read the file by the same rules without staging all of its rows.
create or replace temp macro dataset_typed_rows(path) as table
with source_rows as (
    select file_row_number + 1 as row_no, *
    from read_parquet(path, file_row_number = true)
),
typed as (
    select
        row_no,
        trim(cast(model_name as varchar)) as model,
        trim(cast(category as varchar)) as category,
        try_cast(leaderboard_publish_date as date) as snapshot_date,
        try_cast(rating as double) as score,
        try_cast("rank" as double) as published_rank,
        try_cast(rating_lower as double) as rating_lower,
        try_cast(rating_upper as double) as rating_upper,
        try_cast(variance as double) as variance,
        try_cast(vote_count as double) as votes,
        nullif(trim(cast(organization as varchar)), '') as organization,
        nullif(trim(cast(license as varchar)), '') as license
    from source_rows
)
select
    row_no, model, category, snapshot_date, score,
    score is not null and not isnan(score) as rated,
    case when not isnan(published_rank) then cast(published_rank as integer) end as position,
    case when not isnan(rating_lower) then rating_lower end as rating_lower,
    case when not isnan(rating_upper) then rating_upper end as rating_upper,
    case when not isnan(variance) then variance end as variance,
    case when not isnan(votes) then cast(votes as bigint) end as votes,
    organization, license
from typed
