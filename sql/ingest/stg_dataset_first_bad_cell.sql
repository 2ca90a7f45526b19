-- The first cell of a dataset file that cannot be loaded, in file order, with the number of bad
-- rows; no row = the file is good. A row without a rating (null or NaN) is not bad: it is skipped
-- and counted as unrated (the real text/full has a few); a NaN bound is a bound not published.
-- Refused: infinities, numbers no leaderboard publishes ($max_score, $max_votes, $max_rank: they
-- also keep every value inside its column), a lower bound above the upper one, and publish dates
-- after $today (DuckDB reads 'infinity' as a date) or not a real day ('-infinity').
with source_rows as (
    select file_row_number + 1 as row_no, *
    from read_parquet($path, file_row_number = true)
),
typed as (
    select
        row_no, model_name, category, leaderboard_publish_date, rating, "rank", rating_lower,
        rating_upper, variance, vote_count,
        try_cast(rating as double) as rating_num,
        try_cast("rank" as double) as rank_num,
        try_cast(vote_count as double) as votes_num,
        try_cast(rating_lower as double) as lower_num,
        try_cast(rating_upper as double) as upper_num,
        try_cast(variance as double) as variance_num,
        try_cast(leaderboard_publish_date as date) as publish_date
    from source_rows
),
problems as (
    select row_no, 1 as column_order, 'model_name' as column_name, cast(model_name as varchar) as cell, 'no model name' as problem
    from typed where model_name is null or trim(cast(model_name as varchar)) = ''
    union all
    select row_no, 2, 'category', cast(category as varchar), 'no category'
    from typed where category is null or trim(cast(category as varchar)) = ''
    union all
    select row_no, 3, 'leaderboard_publish_date', cast(leaderboard_publish_date as varchar), 'no publish date'
    from typed where leaderboard_publish_date is null or trim(cast(leaderboard_publish_date as varchar)) = ''
    union all
    select row_no, 3, 'leaderboard_publish_date', cast(leaderboard_publish_date as varchar), 'not a date (YYYY-MM-DD)'
    from typed
    where trim(cast(leaderboard_publish_date as varchar)) <> ''
      and try_cast(leaderboard_publish_date as date) is null
    union all
    select row_no, 3, 'leaderboard_publish_date', cast(leaderboard_publish_date as varchar),
        'publish date after today (' || cast($today as varchar) || ')'
    from typed where isfinite(publish_date) and publish_date > $today
    union all
    select row_no, 3, 'leaderboard_publish_date', cast(leaderboard_publish_date as varchar), 'not a real date'
    from typed where isinf(publish_date)
    union all
    select row_no, 4, 'rating', cast(rating as varchar), 'not a number'
    from typed where rating is not null and rating_num is null
    union all
    select row_no, 4, 'rating', cast(rating as varchar), 'not a finite number'
    from typed where isinf(rating_num)
    union all
    select row_no, 4, 'rating', cast(rating as varchar),
        'implausible rating: outside 0 .. ' || cast($max_score as varchar)
    from typed where isfinite(rating_num) and (rating_num <= 0 or rating_num >= $max_score)
    union all
    select row_no, 5, 'rank', cast("rank" as varchar), 'not a whole number >= 1'
    from typed
    where rating_num is not null and not isnan(rating_num)
      and (rank_num is null or isnan(rank_num) or isinf(rank_num) or rank_num < 1
          or rank_num <> floor(rank_num))
    union all
    select row_no, 5, 'rank', cast("rank" as varchar), 'implausible rank: above ' || cast($max_rank as varchar)
    from typed where isinf(rank_num) or (isfinite(rank_num) and rank_num > $max_rank)
    union all
    select row_no, 6, 'rating_lower', cast(rating_lower as varchar), 'not a number'
    from typed where rating_lower is not null and lower_num is null
    union all
    select row_no, 6, 'rating_lower', cast(rating_lower as varchar), 'not a finite number'
    from typed where isinf(lower_num)
    union all
    select row_no, 6, 'rating_lower', cast(rating_lower as varchar),
        'implausible bound: outside -' || cast($max_score as varchar) || ' .. ' || cast($max_score as varchar)
    from typed where isfinite(lower_num) and abs(lower_num) >= $max_score
    union all
    select row_no, 6, 'rating_lower', cast(rating_lower as varchar),
        'lower bound above the upper bound (rating_upper ' || cast(rating_upper as varchar) || ')'
    from typed where isfinite(lower_num) and isfinite(upper_num) and lower_num > upper_num
    union all
    select row_no, 7, 'rating_upper', cast(rating_upper as varchar), 'not a number'
    from typed where rating_upper is not null and upper_num is null
    union all
    select row_no, 7, 'rating_upper', cast(rating_upper as varchar), 'not a finite number'
    from typed where isinf(upper_num)
    union all
    select row_no, 7, 'rating_upper', cast(rating_upper as varchar),
        'implausible bound: outside -' || cast($max_score as varchar) || ' .. ' || cast($max_score as varchar)
    from typed where isfinite(upper_num) and abs(upper_num) >= $max_score
    union all
    select row_no, 8, 'variance', cast(variance as varchar), 'not a number'
    from typed where variance is not null and variance_num is null
    union all
    select row_no, 8, 'variance', cast(variance as varchar), 'not a finite number'
    from typed where isinf(variance_num)
    union all
    select row_no, 9, 'vote_count', cast(vote_count as varchar), 'not a whole number >= 0'
    from typed
    where vote_count is not null
      and (votes_num is null or isinf(votes_num)
          or (not isnan(votes_num) and (votes_num < 0 or votes_num <> floor(votes_num))))
    union all
    select row_no, 9, 'vote_count', cast(vote_count as varchar),
        'implausible vote count: more than ' || cast($max_votes as varchar)
    from typed where isfinite(votes_num) and votes_num > $max_votes
)
select row_no, column_name, cell, problem, count(distinct row_no) over () as bad_rows
from problems
order by row_no, column_order, problem
limit 1
