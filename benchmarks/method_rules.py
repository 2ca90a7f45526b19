"""How often each method-change and listing rule fires, on a database the pipeline built.

    python benchmarks/method_rules.py DB [--known 2025-05-27,2025-11-06] [--source lmarena_dataset]

Per source and rule (score_offset, score_scale, listing_hidden, listing_reshown, ci_method,
rank_meaning): how many data versions it flags on the known event dates (`--known`: LMArena
re-anchored every category on 2025-05-27 and switched to closed-form intervals, after five
months without a snapshot, on 2025-11-06) and on the others, which count as false positives;
plus the re-anchors a rule should see as offsets: versions of the known dates whose models moved
together by more than 10 points (median change), and how many of them were taken as an offset.

Used for README "Method-change rules on real data": on LMArena's real snapshots (arena-catalog,
laid out by benchmarks/arena_catalog.py, loaded beside the CSV history with
`arena-pipeline backfill`) and on a generated `text/full`-sized history
(tests/dataset_fixtures.write_text_history, loaded with `arena-pipeline dataset`), each with the
rules before and after they were made scale-aware.
"""

import argparse

import duckdb

RULES = ("score_offset", "score_scale", "listing_hidden", "listing_reshown", "ci_method", "rank_meaning")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--known", default="2025-05-27,2025-11-06", help="comma-separated event dates")
    args = parser.parse_args()
    known = [day for day in args.known.split(",") if day]
    with duckdb.connect(args.db, read_only=True) as conn:
        flags = conn.execute("""
            with kinds as (
                select source, snapshot_date, unnest(method_changes) as kind from data_versions
            )
            select source, kind,
                   count(*) filter (where list_contains(cast($known as date[]), snapshot_date)) as on_known,
                   count(*) filter (where not list_contains(cast($known as date[]), snapshot_date)) as elsewhere
            from kinds group by all order by all
        """, {"known": known}).fetchall()
        versions = dict(conn.execute("select source, count(*) from data_versions group by all").fetchall())
        reanchors = conn.execute("""
            with p as (
                select cur.source, cur.arena, cur.category, cur.style_control, cur.snapshot_date,
                       cur.score - prev.score as change
                from data_versions as v
                join model_versions as cur using (source, arena, category, style_control, snapshot_date)
                join model_versions as prev
                    on prev.source = v.source and prev.arena = v.arena and prev.category = v.category
                   and prev.style_control = v.style_control and prev.snapshot_date = v.previous_date
                   and prev.model_id = cur.model_id
                where list_contains(cast($known as date[]), v.snapshot_date)
            ),
            moved as (
                select source, arena, category, style_control, snapshot_date, median(change) as median_change
                from p group by all having abs(median(change)) > 10
            )
            select m.source, cast(m.snapshot_date as varchar), count(*),
                   count(*) filter (where list_contains(v.method_changes, 'score_offset'))
            from moved as m join data_versions as v using (source, arena, category, style_control, snapshot_date)
            group by all order by all
        """, {"known": known}).fetchall()
    by_source: dict[str, dict[str, tuple[int, int]]] = {}
    for source, kind, on_known, elsewhere in flags:
        by_source.setdefault(source, {})[kind] = (on_known, elsewhere)
    for source, kinds in sorted(by_source.items()):
        print(f"{source}: {versions.get(source, 0)} data versions")
        for rule in RULES:
            on_known, elsewhere = kinds.get(rule, (0, 0))
            print(f"  {rule:16} on known dates {on_known:4}   elsewhere (false positives) {elsewhere:4}")
    for source, day, moved, offsets in reanchors:
        print(f"{source} {day}: {moved} versions moved together by over 10 points, {offsets} taken as an offset")


if __name__ == "__main__":
    main()
