"""`arena-pipeline sql` output formats and the command's help, on a real database; and what a
report build removes (its own stale pages and temporary files) and keeps (everything else)."""

import csv
import io
import json
import os
import subprocess
import sys
import time

import pytest

from arena_pipeline.cli import main
from arena_pipeline.reports.markdown import STALE_TMP_SECONDS

VALUES = ("select 8.139410298049853 as x, 0.000123 as tiny, 1427 as n, null as missing, "
          "date '2025-07-28' as day, 'a|b' as s")


def sql(workspace, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(workspace / "arena.duckdb"), "sql", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_table_rounds_numbers_for_reading(workspace, capsys):
    assert sql(workspace, capsys, VALUES) == (0, (
        "   x     tiny     n  missing  day         s\n"
        "----  -------  ----  -------  ----------  ---\n"
        "8.14  0.00012  1427  NULL     2025-07-28  a|b\n"
        "(1 row)\n"), "")


def test_csv_and_json_keep_full_precision(workspace, capsys):
    code, out, err = sql(workspace, capsys, "--format", "csv", VALUES)
    assert (code, err) == (0, "")
    assert list(csv.reader(io.StringIO(out))) == [
        ["x", "tiny", "n", "missing", "day", "s"],
        ["8.139410298049853", "0.000123", "1427", "", "2025-07-28", "a|b"]]
    code, out, err = sql(workspace, capsys, "--format", "json", VALUES)
    assert (code, err) == (0, "")
    assert json.loads(out) == [{"x": 8.139410298049853, "tiny": 0.000123, "n": 1427,
                                "missing": None, "day": "2025-07-28", "s": "a|b"}]


def test_max_rows_shows_the_first_rows_and_says_how_many_were_left_out(workspace, capsys):
    code, out, err = sql(workspace, capsys, "--max-rows", "3", "select range as i from range(10)")
    assert (code, err) == (0, "")
    assert out.splitlines()[2:] == ["0", "1", "2",
                                    "(3 rows shown, the first of 10; 7 left out: --max-rows N or 0 for all)"]
    # For piping, the note goes to stderr and stdout stays clean CSV.
    code, out, err = sql(workspace, capsys, "--format", "csv", "--max-rows", "2",
                         "select range as i from range(10)")
    assert (code, out) == (0, "i\n0\n1\n")
    assert err == "(2 rows shown, the first of 10; 8 left out: --max-rows N or 0 for all)\n"
    # csv / json print every row unless told otherwise; table stops at 100.
    assert sql(workspace, capsys, "--format", "csv", "select range from range(500)")[1].count("\n") == 501
    assert "(100 rows shown, the first of 500;" in sql(workspace, capsys, "select range from range(500)")[1]


def test_views_come_in_their_natural_order(workspace, capsys):
    code, out, _ = sql(workspace, capsys, "--format", "csv", "--max-rows", "0",
                       "select arena, rank_ub, position from v_latest_leaderboard")
    rows = [(arena, int(rank), int(pos)) for arena, rank, pos in list(csv.reader(io.StringIO(out)))[1:]]
    assert code == 0 and len(rows) > 100 and {r[0] for r in rows} == {"text", "vision", "image"}
    assert rows == sorted(rows)
    code, out, _ = sql(workspace, capsys, "--format", "csv", "--max-rows", "0",
                       "select arena, model_id, snapshot_date from v_model_history")
    rows = list(csv.reader(io.StringIO(out)))[1:]
    assert code == 0 and len(rows) > 100 and rows == sorted(rows)


def test_help_says_what_each_command_covers_and_where_global_options_go(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    raw = capsys.readouterr().out
    text = " ".join(raw.split())
    assert "Global options go BEFORE the command" in text
    assert "global options (before the command):" in text
    assert "(today UTC, or a local source's newest release) and the two before it" in text
    assert "(default: the first release to the newest)" in text
    for option in ("--db", "--lock-wait", "--reports-dir", "--source", "--dagster-home"):
        assert option in text
    with pytest.raises(SystemExit):
        main(["update", "--help"])
    assert "today (UTC) for an http(s) source" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        main(["sql", "--help"])
    sql_help = " ".join(capsys.readouterr().out.split())
    assert "print the first N rows and say how many were left out" in sql_help
    assert "--format {table,csv,json}" in sql_help


def test_a_build_removes_its_stale_pages_and_temp_files_and_nothing_else(workspace, capsys):
    reports = workspace / "reports"
    args = ["--db", str(workspace / "arena.duckdb"), "--reports-dir", str(reports), "report"]
    assert main(args) == 0
    old = time.time() - STALE_TMP_SECONDS - 60
    planted = {
        # pages of this layout that no data version, arena or month stands for any more
        "trends/2020-01-01.md": False, "trends/vision/2020-01-01.md": False,
        "trends/months/2020-01.md": False, "leaderboard_zh_video.md": False,
        "trends/charts/video_score_90d.svg": False, "feeds/video.atom": False,
        # temporary files of a killed write: old ones go, a fresh one may be in flight
        "trends/.weekly.md.abcd1234.tmp": False, ".leaderboard_zh.md.x_y_z123.tmp": True,
        # not ours: kept whatever they look like
        "trends/notes.md": True, "trends/2020-01-01.txt": True, "README.md": True,
        "trends/.weekly.md.tmp": True, "as-of/2020-01-01/leaderboard_zh.md": True,
        "trends/drafts/2020-01-01.md": True,
    }
    for name in planted:
        (reports / name).parent.mkdir(parents=True, exist_ok=True)
        (reports / name).write_text("planted\n")
        if name != ".leaderboard_zh.md.x_y_z123.tmp":
            os.utime(reports / name, (old, old))
    assert main(args) == 0
    capsys.readouterr()
    assert {name: (reports / name).exists() for name in planted} == planted
    assert (reports / "leaderboard_zh.md").is_file() and (reports / "trends" / "index.md").is_file()


# What the pipeline commands need and the reading commands do not: each costs a start-up.
HEAVY_MODULES = ("dagster", "pandas", "sqlalchemy", "requests")


@pytest.mark.parametrize("command", [["--help"], ["sql", "select 1"], ["report"]])
def test_reading_commands_import_neither_dagster_nor_pandas(workspace, command):
    code = ("import sys, contextlib, io\n"
            "from arena_pipeline.cli import main\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main({['--db', str(workspace / 'arena.duckdb'), '--reports-dir', str(workspace / 'reports'), *command]!r})\n"
            f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
    assert "report" not in command or (workspace / "reports" / "leaderboard_zh.md").is_file()
