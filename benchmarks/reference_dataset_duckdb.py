"""Reference for benchmarks/dataset_scale.py: the core of the dataset analytics as one plain
DuckDB script, written to a fresh database file.

    python benchmarks/reference_dataset_duckdb.py <dataset folder> <database file> <subset>...

Loads each subset's `full` parquet file, finds each board's (subset, category) data versions by
a content hash of its rows per publish date (a date whose rows hash as the previous date's is
not a version), computes every model's score and rank change between consecutive versions with
window functions, and lists the models new and dropped in each version. No renames, method
changes, significance, checks or pages: what any analysis of the history does first.
"""

import sys
import time

import duckdb

STATEMENTS = [
    # Every subset's rows, rated ones only.
    """
    create table entries as
    select subset, category, cast(leaderboard_publish_date as date) as day, model_name as model,
           rating as score, cast("rank" as integer) as rank, rating_lower, rating_upper, vote_count
    from read_parquet($files, filename = true)
        cross join lateral (select split_part(filename, '/', -2) as subset)
    where rating is not null and not isnan(rating)
    """,
    # One content hash per board and publish date; a version is a date whose hash differs
    # from the board's previous date's.
    """
    create table data_versions as
    with days as (
        select subset, category, day,
               bit_xor(hash(model, score, rating_lower, rating_upper, vote_count, rank)) as data_hash,
               count(*) as models
        from entries
        group by all
    )
    select subset, category, day, data_hash, models
    from days
    qualify data_hash is distinct from lag(data_hash) over (partition by subset, category order by day)
    """,
    # Each version's rows, with the change since the model's previous version of that board
    # (null when it was not listed in the previous version).
    """
    create table movements as
    with versions as (
        select subset, category, day,
               row_number() over (partition by subset, category order by day) as version_no
        from data_versions
    ),
    listed as (
        select e.subset, e.category, e.day, v.version_no, e.model, e.score, e.rank,
               lag(v.version_no) over w as previous_version_no,
               e.score - lag(e.score) over w as score_change,
               e.rank - lag(e.rank) over w as rank_change
        from entries as e
        join versions as v using (subset, category, day)
        window w as (partition by e.subset, e.category, e.model order by v.version_no)
    )
    select subset, category, day, model, score, rank,
           case when previous_version_no = version_no - 1 then score_change end as score_change,
           case when previous_version_no = version_no - 1 then rank_change end as rank_change,
           previous_version_no is distinct from version_no - 1 as new_in_version
    from listed
    """,
    # The models a version no longer lists: listed in the previous version, not in this one.
    """
    create table dropped_models as
    with versions as (
        select subset, category, day,
               lead(day) over (partition by subset, category order by day) as next_day
        from data_versions
    )
    select v.subset, v.category, v.next_day as day, m.model
    from movements as m
    join versions as v using (subset, category, day)
    where v.next_day is not null
      and not exists (select 1 from movements as n
                      where n.subset = m.subset and n.category = m.category
                        and n.day = v.next_day and n.model = m.model)
    """,
]


def main(folder: str, database: str, subsets: list[str]) -> None:
    files = [f"{folder}/{subset}/full-00000-of-00001.parquet" for subset in subsets]
    with duckdb.connect(database) as conn:
        for statement in STATEMENTS:
            started = time.perf_counter()
            conn.execute(statement, {"files": files} if "$files" in statement else None)
            print(f"{statement.split()[2]}: {time.perf_counter() - started:.2f} s", file=sys.stderr)
        counts = [conn.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608 (constants)
                  for t in ("entries", "data_versions", "movements", "dropped_models")]
        new = conn.execute("select count(*) from movements where new_in_version").fetchone()[0]
    print(f"{counts[0]:,} rows, {counts[1]:,} data versions, {counts[2]:,} movements "
          f"({new:,} new in their version), {counts[3]:,} dropped")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
