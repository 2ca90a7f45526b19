"""The analytics SQL chain on small synthetic histories in an in-memory DuckDB.

Input tables are created with the ingestion's own DDL (sql/create_*.sql); each history is a list
of releases, and each test states the rule it pins down.
"""

import hashlib
from datetime import date, timedelta

import duckdb
import pytest

from arena_pipeline.history.analytics import ANALYTICS_CHECKS, refresh_analytics
from arena_pipeline.warehouse.database import run_sql

DAY_ONE = date(2025, 1, 1)


def release(day: int, *rows, schema="v2", arena="text"):
    """rows: (model, score[, votes[, ci[, organization]]]); rank_ub is derived like v3 does."""
    full = [(r + (10_000, 5, "Org")[len(r) - 2:]) for r in rows]
    return {"day": DAY_ONE + timedelta(days=day - 1), "rows": full, "schema": schema, "arena": arena}


def load(conn, *releases):
    run_sql(conn, "ingest/create_snapshots")
    run_sql(conn, "ingest/create_leaderboard_entries")
    for r in releases:
        rows = r["rows"]
        entries = [
            (
                r["arena"], r["day"], name,
                1 + sum(1 for o in rows if o[1] - o[3] > score + ci),  # rank_ub
                1 + sum(1 for o in rows if o[1] > score),  # rank_stylectrl (any rank >= 1)
                position, float(score), ci, ci, votes, org, None, None, None,
            )
            for position, (name, score, votes, ci, org) in enumerate(rows, start=1)
        ]
        conn.executemany(
            "insert into leaderboard_entries values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entries
        )
        data_hash = hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()
        conn.execute(
            "insert into snapshots values (?, ?, 'file.csv', 'sha', ?, ?, 0, ?, null)",
            [r["arena"], r["day"], r["schema"], len(rows), data_hash],
        )


@pytest.fixture
def conn():
    connection = duckdb.connect()
    yield connection
    connection.close()


def refreshed(conn, *releases):
    load(conn, *releases)
    return refresh_analytics(conn, overrides_path=None)


def day_no(day: date) -> int:
    """The `day` argument of release() that produced this date."""
    return (day - DAY_ONE).days + 1


def events(conn):
    rows = conn.execute("select snapshot_date, event_type, model, previous_model from model_events").fetchall()
    return {(day_no(d), t, m, p) for d, t, m, p in rows}


def one(conn, sql, params=None):
    return conn.execute(sql, params).fetchall()


def test_a_repeated_release_is_no_data_version_and_yields_nothing(conn):
    refreshed(
        conn,
        release(1, ("A", 1300), ("B", 1200)),
        release(2, ("A", 1300), ("B", 1200)),  # byte-for-byte repeat
        release(3, ("A", 1300), ("B", 1250), ("C", 1100)),
    )
    versions = one(conn, "select snapshot_date, version_no, previous_date from data_versions order by 1")
    assert [(day_no(d), n, p and day_no(p)) for d, n, p in versions] == [(1, 1, None), (3, 2, 1)]
    assert one(conn, "select count(*) from rank_movements where snapshot_date = ?", [DAY_ONE + timedelta(1)]) == [(0,)]
    assert {e[0] for e in events(conn)} == {3}


def test_distinctness_comes_from_data_hash_not_same_as_previous(conn):
    load(conn, release(1, ("A", 1300)), release(2, ("A", 1300)))
    conn.execute("update snapshots set same_as_previous = false")  # a stale or missing flag
    refresh_analytics(conn, overrides_path=None)
    assert one(conn, "select count(*) from data_versions") == [(1,)]


def test_movement_deltas_are_current_minus_previous_and_significance_uses_combined_ci(conn):
    refreshed(
        conn,
        release(1, ("B", 1250, 900, 5), ("A", 1200, 1000, 5), ("C", 1100, 500, 3)),
        # A: +65 > sqrt(5^2 + 5^2) = 7.07 -> significant; C: +5 = sqrt(3^2 + 4^2) is not larger.
        release(2, ("A", 1265, 1400, 5), ("B", 1250, 950, 5), ("C", 1105, 520, 4)),
    )
    rows = one(
        conn,
        "select model_id, rank_ub_prev, rank_ub, rank_ub_delta, score_delta, votes_delta, ci_prev, ci,"
        " significant, comparable from rank_movements order by model_id",
    )
    assert rows == [
        ("A", 2, 1, -1, 65.0, 400, 5.0, 5.0, True, True),
        ("B", 1, 2, 1, 0.0, 50, 5.0, 5.0, False, True),
        ("C", 3, 3, 0, 5.0, 20, 3.0, 4.0, False, True),
    ]
    assert one(conn, "select model_id from v_biggest_movers") == [("A",)]


def test_a_change_of_rank_meaning_is_a_method_change_and_breaks_comparability(conn):
    refreshed(
        conn,
        release(1, ("A", 1300), ("B", 1200)),
        release(2, ("A", 1340), ("B", 1200), schema="v3"),
    )
    [(flag, reason, changes)] = one(conn, "select is_method_change, method_change_reason, method_changes from data_versions where version_no = 2")
    assert flag and reason.startswith("schema v2 -> v3: rank changed meaning") and changes == ["rank_meaning"]
    assert one(conn, "select bool_or(comparable), bool_or(significant) from rank_movements") == [(False, True)]
    assert one(conn, "select count(*) from v_biggest_movers") == [(0,)]
    assert (2, "method_change", None, None) in events(conn)


def test_a_new_column_is_not_a_method_change(conn):
    refreshed(conn, release(1, ("A", 1300), schema="v1"), release(2, ("A", 1301)))
    assert one(conn, "select bool_or(is_method_change) from data_versions") == [(False,)]


def models(count, shift=0, moved=None):
    moved = count if moved is None else moved
    return [(f"M{i}", 1000 + 10 * i + (shift if i < moved else 0)) for i in range(count)]


def kinds(conn, version_no=2):
    return one(conn, "select method_changes, is_method_change, score_shift from data_versions where version_no = ?",
               [version_no])[0]


def test_a_pure_offset_is_recorded_and_removed_not_a_method_change(conn):
    refreshed(conn, release(1, *models(12)), release(2, *models(12, shift=20)))
    assert kinds(conn) == (["score_offset"], False, 20.0)
    assert one(conn, "select min(score_delta), max(score_delta_adj), bool_or(significant), bool_and(comparable)"
                     " from rank_movements") == [(20.0, 0.0, False, True)]
    assert one(conn, "select count(*) from v_biggest_movers") == [(0,)]
    [(reason,)] = one(conn, "select details from model_events where event_type = 'method_change'")
    assert reason.startswith("common offset of +20 points")


def test_an_offset_plus_one_real_mover_keeps_only_the_mover(conn):
    after = models(12, shift=20)
    after[6] = ("M6", 1060 + 50)  # +50 while the field moved +20
    refreshed(conn, release(1, *models(12)), release(2, *after))
    assert kinds(conn) == (["score_offset"], False, 20.0)
    assert one(conn, "select model_id, score_delta, score_delta_adj from v_biggest_movers") == [("M6", 50.0, 30.0)]


def test_a_slope_change_is_a_re_scaling_that_breaks_comparability(conn):
    stretched = [(f"M{i}", 1000 + 1.1 * 10 * i) for i in range(12)]  # top stretched by 11 points
    refreshed(conn, release(1, *models(12)), release(2, *stretched))
    assert kinds(conn) == (["score_scale"], True, 0.0)
    assert one(conn, "select count(*) from v_biggest_movers") == [(0,)]


def test_a_few_real_movers_are_not_a_method_change(conn):
    refreshed(conn, release(1, *models(12)), release(2, *models(12, shift=20, moved=5)))
    assert kinds(conn) == ([], False, 0.0)
    assert one(conn, "select count(*) from v_biggest_movers") == [(5,)]


def test_a_mass_delisting_is_a_listing_change_and_its_models_are_delisted(conn):
    refreshed(conn, release(1, *models(25)), release(2, *models(13)), release(3, *models(25)))
    assert kinds(conn, 2) == (["listing_hidden"], True, 0.0)
    assert kinds(conn, 3) == (["listing_reshown"], True, 0.0)
    types = one(conn, "select snapshot_date, event_type, count(*), min(details) from model_events"
                      " where event_type <> 'method_change' group by all order by 1, 2")
    assert [(day_no(d), t, n) for d, t, n, _ in types] == [(2, "delisted", 12), (3, "relisted", 12)]
    assert types[0][3].startswith(f"last listed {DAY_ONE}")
    # Every rank below a hidden model moves although no score did: not comparable.
    assert one(conn, "select bool_or(comparable) from rank_movements") == [(False,)]


def test_a_few_ordinary_drops_are_not_a_listing_change(conn):
    refreshed(conn, release(1, *models(25)), release(2, *models(22)), release(3, *models(25)))
    assert kinds(conn, 2) == ([], False, 0.0) and kinds(conn, 3) == ([], False, 0.0)
    assert {(d, t) for d, t, _, _ in events(conn)} == {(2, "dropped"), (3, "returned")}


def test_a_tie_for_rank_one_is_no_leader_change(conn):
    refreshed(
        conn,
        release(1, ("A", 1300, 10_000, 2), ("B", 1250, 10_000, 2)),
        release(2, ("B", 1301, 10_500, 2), ("A", 1300, 10_500, 2)),  # tied: both rank 1
        release(3, ("B", 1350, 11_000, 2), ("A", 1300, 11_000, 2)),  # B alone at rank 1
    )
    assert one(conn, "select snapshot_date, model, previous_model from model_events where event_type = 'new_leader'") == [
        (DAY_ONE + timedelta(2), "B", "A")
    ]


def test_7_and_30_day_deltas_use_the_latest_version_at_or_before_that_date(conn):
    refreshed(
        conn,
        release(1, ("A", 1200), ("B", 1300)),
        release(5, ("A", 1210), ("B", 1300)),
        release(9, ("A", 1220), ("B", 1300)),
        release(40, ("A", 1250), ("B", 1300), ("C", 1000)),
    )
    rows = one(
        conn,
        "select snapshot_date, date_7d, score_delta_7d, comparable_7d, date_30d, score_delta_30d"
        " from rank_movements where model_id = 'A' order by 1",
    )
    as_days = [tuple(day_no(v) if isinstance(v, date) else v for v in row) for row in rows]
    assert as_days == [
        (5, None, None, None, None, None),  # nothing 7 days before day 5
        (9, 1, 20.0, True, None, None),  # day 2 -> latest version at or before it is day 1
        (40, 9, 30.0, True, 9, 30.0),  # day 33 and day 10 both fall back to day 9
    ]


def test_7_day_delta_across_a_method_change_is_flagged_not_comparable(conn):
    refreshed(
        conn,
        release(1, ("A", 1200), ("B", 1300)),
        release(5, ("A", 1210), ("B", 1300), schema="v3"),
        release(10, ("A", 1220), ("B", 1300), schema="v3"),
    )
    assert one(conn, "select comparable, comparable_7d from rank_movements where model_id = 'A' and snapshot_date = ?",
               [DAY_ONE + timedelta(9)]) == [(True, False)]


def test_events_between_consecutive_versions(conn):
    refreshed(
        conn,
        release(1, ("Leader-X", 1300, 9000), ("B", 1200), ("C", 1100)),
        release(2, ("Leader-X", 1300, 9100), ("B", 1200), ("D", 1000, 300)),
        release(3, ("leader x", 1300, 9200), ("B", 1200), ("C", 1100), ("D", 1000, 300)),
        release(4, ("leader x", 1300, 9300), ("B", 1350), ("C", 1100), ("D", 1000, 300)),
    )
    assert events(conn) == {
        (2, "new_model", "D", None),
        (2, "dropped", "C", None),
        (3, "renamed", "leader x", "Leader-X"),  # a renamed leader is no new leader
        (3, "returned", "C", None),
        (4, "new_leader", "B", "leader x"),
    }


def test_no_new_model_events_on_an_arenas_first_version(conn):
    refreshed(conn, release(1, ("A", 1300)), release(1, ("V", 1100), arena="vision"),
              release(2, ("V", 1100), ("W", 1000, 50), arena="vision"))
    assert one(conn, "select arena, snapshot_date, event_type, model from model_events") == [
        ("vision", DAY_ONE + timedelta(1), "new_model", "W")
    ]


def test_a_new_version_with_restarted_votes_is_a_new_model_not_a_rename(conn):
    refreshed(
        conn,
        release(1, ("GPT (2024-09-03)", 1340, 42225, 3), ("Other", 1200)),
        release(2, ("GPT (2024-11-20)", 1361, 8513, 6), ("Other", 1200)),
    )
    assert events(conn) == {
        (2, "dropped", "GPT (2024-09-03)", None),
        (2, "new_model", "GPT (2024-11-20)", None),
        (2, "new_leader", "GPT (2024-11-20)", "GPT (2024-09-03)"),
    }


def test_latest_leaderboard_and_model_history_views(conn):
    refreshed(
        conn,
        release(1, ("A", 1300), ("B", 1200)),
        release(2, ("a", 1300, 10_500), ("B", 1210)),
        release(3, ("a", 1300, 10_500), ("B", 1210)),  # repeat: still the newest data version is day 2
    )
    latest = one(conn, "select snapshot_date, latest_release_date, model_id, model, score_delta from v_latest_leaderboard order by model_id")
    day2, day3 = DAY_ONE + timedelta(1), DAY_ONE + timedelta(2)
    assert latest == [(day2, day3, "A", "a", 0.0), (day2, day3, "B", "B", 10.0)]
    history = one(conn, "select version_no, model, rank_ub_delta from v_model_history where model_id = 'A' order by version_no")
    assert history == [(1, "A", None), (2, "a", 0)]


def test_checks_pass_on_a_clean_history_and_warn_on_a_large_drop(conn):
    refreshed(
        conn,
        release(1, ("A", 1300), ("B", 1200), ("C", 1100), ("D", 1000)),
        release(2, ("a", 1300), ("B", 1200), ("C", 1100)),  # 25% of the rows gone
    )
    outcomes = {name: check(conn) for name, check in ANALYTICS_CHECKS.items()}
    # The synthetic data is years old: the freshness check warns too.
    assert {name for name, o in outcomes.items() if not o.passed} == {
        "row_count_drop_under_20_percent", "data_changed_recently"}
    drop = outcomes["row_count_drop_under_20_percent"]
    assert drop.severity == "warn" and drop.metadata["drops"] == [f"fboulnois/text/overall {DAY_ONE + timedelta(1)}: 4 -> 3"]
    assert outcomes["renamed_events_link_one_model"].metadata == {"renamed_events": 1, "broken_links": 0}


def test_freshness_check_warns_after_the_configured_number_of_days(conn, monkeypatch):
    refreshed(conn, release(1, ("A", 1300)), release(2, ("A", 1301)), release(30, ("A", 1301)))
    check = ANALYTICS_CHECKS["data_changed_recently"]
    assert check(conn, today=DAY_ONE + timedelta(8)).passed  # data version day 2: 7 days old
    stale = check(conn, today=DAY_ONE + timedelta(9))
    assert not stale.passed and stale.severity == "warn"
    assert stale.metadata["stale_boards"] == ["fboulnois/text/overall: data unchanged for 8 days"]
    monkeypatch.setenv("ARENA_STALE_DATA_DAYS", "30")
    assert check(conn, today=DAY_ONE + timedelta(9)).passed
    monkeypatch.setenv("ARENA_STALE_DATA_DAYS", "soon")
    with pytest.raises(ValueError, match="ARENA_STALE_DATA_DAYS"):
        check(conn)


def test_renamed_check_catches_an_event_that_links_two_identities(conn):
    refreshed(conn, release(1, ("A", 1300), ("B", 1000, 50)), release(2, ("a", 1300), ("B", 1000, 50)))
    conn.execute("update model_events set previous_model = 'B' where event_type = 'renamed'")
    assert not ANALYTICS_CHECKS["renamed_events_link_one_model"](conn).passed


def test_refresh_is_idempotent(conn):
    counts = refreshed(
        conn,
        release(1, ("A", 1300), ("B", 1200)),
        release(2, ("a", 1320), ("C", 1000, 40)),
    )
    checksum = "select sum(hash(arena, snapshot_date, event_type, model_id, model, previous_model, details)) from model_events"
    first = one(conn, checksum)
    assert refresh_analytics(conn, overrides_path=None) == counts
    assert one(conn, checksum) == first


def test_overrides_file_vetoes_a_rename(conn, tmp_path):
    load(conn, release(1, ("A", 1300)), release(2, ("B", 1300, 10_100)))
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "arena,snapshot_date,old_model,new_model,action,reason\n"
        f"text,{DAY_ONE + timedelta(1)},A,B,veto,two models\n",
        encoding="utf-8",
    )
    refresh_analytics(conn, overrides_path=None)
    assert ("renamed",) in one(conn, "select event_type from model_events")
    refresh_analytics(conn, overrides_path=overrides)
    assert one(conn, "select event_type from model_events order by 1") == [("dropped",), ("new_leader",), ("new_model",)]


def test_ci_suddenly_symmetric_is_a_change_of_ci_method(conn):
    load(conn, release(1, *models(12)), release(2, *models(12)), release(3, *[(n, s + 1) for n, s in models(12)]))
    # Versions 1 and 2 publish asymmetric intervals (+6/-4); version 3 only symmetric ones.
    conn.execute("update leaderboard_entries set ci_plus = 6, ci_minus = 4 where snapshot_date < ?",
                 [DAY_ONE + timedelta(2)])
    conn.execute("update snapshots set data_hash = data_hash || '-asymmetric' where snapshot_date = ?", [DAY_ONE])
    refresh_analytics(conn, overrides_path=None)
    assert kinds(conn, 3) == (["ci_method"], True, 0.0)
    [(reason,)] = one(conn, "select method_change_reason from data_versions where version_no = 3")
    assert reason == "CI method changed: symmetric CIs 0% -> 100% of the rows"


def test_derived_rank_check_derives_each_data_version_once(conn):
    check = ANALYTICS_CHECKS["derived_rank_ub_agrees_with_published"]
    first, second = release(1, ("A", 1300), ("B", 1200)), release(2, ("A", 1300), ("B", 1250), ("C", 1100))
    refreshed(conn, first, second)
    outcome = check(conn)
    assert outcome.metadata["versions_derived_this_run"] == 2
    assert outcome.metadata["v2"] == {"rows": 5, "exact_share": 1.0, "within_one_share": 1.0, "largest_gap": 0}
    again = check(conn)
    assert again.metadata == outcome.metadata | {"versions_derived_this_run": 0}
    # Day 2 re-ingested with other data (a rank the scores cannot give), day 3 new: those two
    # are derived; the tally of day 2's old data is dropped, not added.
    conn.execute("delete from leaderboard_entries where snapshot_date > ?", [DAY_ONE])
    conn.execute("delete from snapshots where snapshot_date > ?", [DAY_ONE])
    refreshed(conn, release(2, ("A", 1300), ("B", 1250)), release(3, ("A", 1300), ("C", 1100)))
    conn.execute("update leaderboard_entries set rank_ub = 4 where snapshot_date = ? and model = 'B'",
                 [DAY_ONE + timedelta(1)])
    conn.execute("update snapshots set data_hash = 'changed' where snapshot_date = ?", [DAY_ONE + timedelta(1)])
    changed = check(conn)
    assert changed.metadata["versions_derived_this_run"] == 2
    assert changed.metadata["v2"] == {"rows": 6, "exact_share": 0.833, "within_one_share": 0.833,
                                      "largest_gap": 2}
    # The same as counting every version from scratch.
    conn.execute("drop table derived_rank_tallies")
    assert check(conn).metadata == changed.metadata | {"versions_derived_this_run": 3}
