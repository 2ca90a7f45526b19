"""Reference for benchmarks/compare.py: one DuckDB `read_csv` over the release folder's glob.

    python benchmarks/reference_duckdb.py <source folder of TAG/FILE>

The same result as reference_pandas.py (every file read, day-over-day deltas per arena and
model) in a single query.
"""

import sys

import duckdb

QUERY = """
with raw as (
    select * from read_csv($glob, union_by_name = true, filename = true, all_varchar = true)
), rows as (
    select
        case when filename like '%vision%' then 'vision'
             when filename like '%image%' then 'image' else 'text' end as arena,
        strptime(split_part(filename, '/', -2), '%Y.%m.%d')::date as day,
        model,
        rank::integer as rank,
        coalesce(*columns('^arena_(score|elo)$'))::double as score
    from raw
    qualify row_number() over (partition by filename, model order by rank::integer) = 1
), deltas as (
    select *,
        score - lag(score) over (partition by arena, model order by day) as score_delta,
        rank - lag(rank) over (partition by arena, model order by day) as rank_delta
    from rows
)
select count(*), count(*) filter (where score_delta <> 0) from deltas
"""


def main(source: str) -> None:
    rows, moved = duckdb.execute(QUERY, {"glob": f"{source}/*/*.csv"}).fetchone()
    print(f"{rows} rows, {moved} day-over-day score changes")


if __name__ == "__main__":
    main(sys.argv[1])
