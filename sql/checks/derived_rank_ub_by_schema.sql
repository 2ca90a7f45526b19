-- The cross-check's result per schema, over the tallies of every current data version.
select
    schema_version,
    sum(row_total) as row_total,
    sum(exact_rows) as exact_rows,
    sum(within_one_rows) as within_one_rows,
    max(largest_gap) as largest_gap
from derived_rank_tallies
group by schema_version
order by schema_version
