"""Reports written from the real pipeline: the `report` command, write_all_reports and the
Dagster report assets, on the full history the `history` fixture backfilled through the CLI.

The renderers' own rules (escaping, sections, org shares) are tested in test_reports_*.py; here
the question is whether the tables, the queries and the files fit together.
"""

import json
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from arena_pipeline.cli import main
from arena_pipeline.defs.analytics import analytics_assets, analytics_checks
from arena_pipeline.defs.reports import inline_images, report_assets
from arena_pipeline.defs.resources import ReportsDirResource
from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.build import write_all_reports
from tests.report_fixtures import GOLDEN, assert_golden

# The clock of tests/golden/leaderboard_zh_2025-07-07.md.
GOLDEN_CLOCK = "2025-07-09T11:44:37+00:00"
CLOCK = datetime(2025, 9, 3, 12, 0, tzinfo=UTC)
LATER = datetime(2025, 9, 4, 12, 0, tzinfo=UTC)


def report(history, reports_dir: Path, *args: str) -> None:
    assert main(["--db", str(history["ARENA_DB"]), "--reports-dir", str(reports_dir),
                 "report", *args]) == 0


def write(history, reports_dir: Path, as_of: date | None, now: datetime):
    with duckdb.connect(str(history["ARENA_DB"]), read_only=True) as conn:
        return write_all_reports(conn, reports_dir, as_of=as_of, now=now)


def tree(folder: Path) -> dict[str, bytes]:
    """The published files (not the hidden cache of digest fingerprints)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def data_versions(history) -> dict[str, list[date]]:
    with duckdb.connect(str(history["ARENA_DB"]), read_only=True) as conn:
        rows = conn.execute("select arena, snapshot_date from data_versions "
                            "order by arena, snapshot_date").fetchall()
    versions: dict[str, list[date]] = {}
    for arena, day in rows:
        versions.setdefault(arena, []).append(day)
    return versions


@pytest.mark.slow
def test_report_command_writes_the_golden_leaderboard(history, tmp_path):
    report(history, tmp_path, "--date", "2025-07-07", "--now", GOLDEN_CLOCK)
    assert ((tmp_path / "leaderboard_zh.md").read_bytes()
            == (GOLDEN / "leaderboard_zh_2025-07-07.md").read_bytes())
    # Vision and image have no data before 2025-07-27: no pages for them.
    assert not (tmp_path / "leaderboard_zh_vision.md").exists()
    assert not (tmp_path / "trends" / "vision").exists()


@pytest.mark.slow
def test_week_of_the_case_only_renames_from_the_pipeline(history, tmp_path):
    # 2024-11-05 re-cased 29 names (Athene-70b -> Athene-70B, ...): one model each, not new ones.
    report(history, tmp_path, "--date", "2024-11-08", "--now", "2024-11-09T12:00:00+00:00")
    page = (tmp_path / "trends" / "weekly.md").read_text(encoding="utf-8")
    assert_golden("trends_week_2024-11-08_pipeline.md", page)
    renames = page.split(zh.RENAME_HEADING)[1].split("\n## ")[0]
    assert renames.count("- 2024-11-05：") == 29
    assert "- 2024-11-05：Athene-70b → Athene-70B" in renames
    new_models = page.split(zh.NEW_MODELS_HEADING)[1].split("\n## ")[0]
    assert "Athene" not in new_models and new_models.count("| 2024-11-05 |") == 2


@pytest.mark.slow
def test_layout_and_every_link_resolves(history, tmp_path):
    written = write(history, tmp_path, None, CLOCK)
    files = tree(tmp_path)
    assert sorted(files) == sorted(r.path.relative_to(tmp_path).as_posix() for r in written)
    versions = data_versions(history)
    newest_release = date(2025, 9, 2)  # repeats the data of 2025-08-04, the last data version
    for arena, folder in (("text", "trends"), ("vision", "trends/vision"),
                          ("image", "trends/image")):
        digests = {p for p in files if re.fullmatch(rf"{folder}/\d{{4}}-\d\d-\d\d\.md", p)}
        assert digests == {f"{folder}/{day.isoformat()}.md" for day in versions[arena]}
        assert {f"{folder}/weekly.md", f"{folder}/monthly.md"} <= set(files)
        for kind in ("score", "rank"):
            assert files[f"trends/charts/{arena}_{kind}_90d.svg"].startswith(b"<svg ")
    assert {"leaderboard_zh.md", "leaderboard_zh_vision.md", "leaderboard_zh_image.md",
            "trends/index.md", "SUMMARY.md", "trends/months/2024-07.md",
            "trends/image/months/2025-08.md"} <= set(files)
    # The book's table of contents lists every page written, each once.
    listed = re.findall(r"\]\(([^)]+)\)", files["SUMMARY.md"].decode())
    assert sorted(listed) == sorted(p for p in files if p.endswith(".md") and p != "SUMMARY.md")
    # Organizations are counted under one name in the trend reports (config/organization_aliases.csv).
    trend_pages = [content.decode() for name, content in files.items()
                   if name.startswith("trends/") and name.endswith(".md")]
    assert any("| DeepSeek | " in page for page in trend_pages)
    assert not any("| DeepSeek AI |" in page for page in trend_pages)
    # The index has a heading per arena and says what happened in each version.
    index = files["trends/index.md"].decode()
    assert [line for line in index.splitlines() if line.startswith("## ")] == [
        "## 文本竞技场", "## 视觉竞技场", "## 文生图竞技场"]
    assert "- [2025-07-27](2025-07-27.md)：" in index and "方法变更" in index.split("[2025-07-27]")[1].split("\n")[0]
    # The three dates apart, and the staleness said above the table, computed from the data.
    page = files["leaderboard_zh.md"].decode()
    assert zh.DATA_VERSION_DATE.format(date="2025-08-04", days=30, today="2025-09-03") in page
    assert zh.LATEST_RELEASE_DATE.format(date=newest_release.isoformat()) in page
    assert "上游数据自 2025-08-04 起未更新，到本页生成日 2025-09-03 已 30 天" in page
    assert page.index("上游数据自") < page.index("| 排名(UB) |")
    for rolling in ("trends/weekly.md", "trends/vision/monthly.md", "trends/index.md"):
        assert "上游数据自 2025-08-04 起未更新，到本页生成日 2025-09-03 已 30 天" in files[rolling].decode(), rolling
    # Relative links (pages and charts) point at files that exist.
    links = 0
    for name, content in files.items():
        if name.endswith(".md"):
            for target in re.findall(r"\]\(([^)]+\.(?:md|svg))\)", content.decode()):
                assert (tmp_path / name).parent.joinpath(target).resolve().is_file(), (name, target)
                links += 1
    assert links > sum(len(days) for days in versions.values())
    # The charts are linked from the rolling reports and the newest digest only.
    assert "charts/text_score_90d.svg" in files["trends/weekly.md"].decode()
    assert "../charts/vision_rank_90d.svg" in files["trends/vision/monthly.md"].decode()
    assert "charts/text_score_90d.svg" in files[f"trends/{versions['text'][-1]}.md"].decode()
    assert "charts/" not in files[f"trends/{versions['text'][-2]}.md"].decode()


@pytest.mark.slow
def test_same_data_and_clock_give_the_same_bytes_and_old_pages_do_not_churn(history, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write(history, first, None, CLOCK)
    write(history, second, None, CLOCK)
    assert tree(first) == tree(second)

    # Same data, a day later: only the current pages are rewritten (their data is a day older,
    # "距今 N 天"); the digests and month pages differ only in their clock line and are left alone.
    before = {p: p.stat().st_mtime_ns for p in first.rglob("*") if p.is_file()}
    again = write(history, first, None, LATER)
    aged = {r.path.relative_to(first).as_posix() for r in again if r.changed}
    assert aged == {"leaderboard_zh.md", "leaderboard_zh_vision.md", "leaderboard_zh_image.md",
                    "trends/index.md", *(f"{folder}/{period}.md" for folder in ("trends", "trends/vision",
                                                                               "trends/image")
                                         for period in ("weekly", "monthly"))}
    assert {p: t for p, t in before.items() if p.relative_to(first).as_posix() not in aged} == {
        p: p.stat().st_mtime_ns for p in first.rglob("*")
        if p.is_file() and p.relative_to(first).as_posix() not in aged}
    same_day = write(history, first, None, LATER + timedelta(hours=3))
    assert not any(r.changed for r in same_day)  # the same day: nothing but the clock line differs

    # New data arrives: old digests keep their bytes, the pages that changed are rewritten.
    history_dir = tmp_path / "history"
    write(history, history_dir, date(2024, 11, 5), CLOCK)
    old = tree(history_dir)
    rewritten = {r.path.relative_to(history_dir).as_posix()
                 for r in write(history, history_dir, date(2024, 11, 13), CLOCK) if r.changed}
    assert "trends/2024-10-29.md" not in rewritten
    assert tree(history_dir)["trends/2024-10-29.md"] == old["trends/2024-10-29.md"]
    # The previous newest digest loses its charts; the new digest and the rolling pages appear.
    assert {"trends/2024-11-05.md", "trends/2024-11-13.md", "trends/weekly.md",
            "trends/index.md", "leaderboard_zh.md", "SUMMARY.md", "trends/months/2024-11.md"} <= rewritten
    # Nothing else: the charts and feeds change with the new version, older months do not.
    assert rewritten <= {"trends/2024-11-05.md", "trends/2024-11-13.md", "trends/weekly.md",
                         "trends/monthly.md", "trends/index.md", "leaderboard_zh.md", "SUMMARY.md",
                         "trends/months/2024-11.md", "trends/charts/text_score_90d.svg",
                         "trends/charts/text_rank_90d.svg", "feeds/text.atom", "feeds/text.json",
                         "feeds/all.atom", "feeds/all.json"}


@pytest.mark.slow
def test_only_digests_whose_inputs_changed_are_rendered_and_the_result_equals_a_full_render(
        history, tmp_path):
    database = tmp_path / "arena.duckdb"
    shutil.copyfile(history["ARENA_DB"], database)
    incremental, fresh = tmp_path / "incremental", tmp_path / "fresh"
    text_versions = data_versions(history)["text"]
    old, following = text_versions[10], text_versions[11]
    with duckdb.connect(str(database)) as conn:
        write_all_reports(conn, incremental, as_of=None, now=CLOCK)
        # A late correction of one old data version (as a re-ingested day would bring).
        conn.execute("update rank_movements set score = score + 50, score_delta = score_delta + 50 "
                     "where arena = 'text' and snapshot_date = ?", [old])
        # A digest left as it was is not even read from the database: tamper with one to see.
        untouched = incremental / "trends" / f"{text_versions[3].isoformat()}.md"
        untouched.write_text(untouched.read_text(encoding="utf-8") + "kept\n", encoding="utf-8")
        again = write_all_reports(conn, incremental, as_of=None, now=LATER)
        write_all_reports(conn, fresh, as_of=None, now=LATER)
    rewritten = {r.path.relative_to(incremental).as_posix() for r in again if r.changed}
    assert f"trends/{old.isoformat()}.md" in rewritten
    assert not {f"trends/{day.isoformat()}.md" for day in text_versions
                if day not in (old, following)} & rewritten
    assert untouched.read_text(encoding="utf-8").endswith("kept\n")
    untouched.write_text(untouched.read_text(encoding="utf-8").removesuffix("kept\n"), encoding="utf-8")
    # Apart from the generation time of the pages left alone, the files of a render from scratch.
    assert without_clock(tree(incremental)) == without_clock(tree(fresh))
    # Without the cache every digest is rendered again, to the same result.
    (incremental / "trends" / ".digest_inputs.json").unlink()
    with duckdb.connect(str(database), read_only=True) as conn:
        write_all_reports(conn, incremental, as_of=None, now=LATER)
    assert without_clock(tree(incremental)) == without_clock(tree(fresh))
    assert (incremental / "trends" / ".digest_inputs.json").is_file()


def without_clock(files: dict[str, bytes]) -> dict[str, list[str]]:
    clock_line = zh.GENERATED_AT.split("{", 1)[0]
    return {name: [line for line in content.decode().split("\n") if not line.startswith(clock_line)]
            for name, content in files.items()}


@pytest.mark.slow
def test_report_assets_materialize_with_preview_path_and_size(history, tmp_path):
    database = tmp_path / "arena.duckdb"
    shutil.copy(history["ARENA_DB"], database)
    # An upstream name carrying HTML, a table pipe and GitBook templating, end to end through
    # the analytics into every page and chart that lists the model.
    hostile = "GLM-4.5 <img src=x onerror=alert(1)> | {{x}}"
    with duckdb.connect(str(database)) as conn:
        conn.execute("update leaderboard_entries set model = ? where model = 'GLM-4.5'", [hostile])
    reports_dir = tmp_path / "reports"
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [*analytics_assets, *analytics_checks, *report_assets],
        resources={"duckdb": DuckDBResource(database=str(database)),
                   "reports_dir": ReportsDirResource(path=str(reports_dir))},
        run_config={"ops": {"trend_reports": {"config": {"now": "2025-09-03T12:00:00+00:00"}}}},
        instance=instance,
    )
    assert result.success
    for asset, page in (("leaderboard_reports", "leaderboard_zh.md"),
                        ("trend_reports", "trends/weekly.md")):
        metadata = result.asset_materializations_for_node(asset)[0].metadata
        path = reports_dir / page
        assert metadata["path"].value == str(path)
        assert metadata["size_bytes"].value == path.stat().st_size
        # The preview is the page, with its chart links turned into data URIs the UI can show.
        assert metadata["preview"].value == inline_images(path.read_text(encoding="utf-8"), path.parent)
        assert metadata["files"].value == metadata["files_rewritten"].value > 0
    weekly = result.asset_materializations_for_node("trend_reports")[0].metadata["preview"].value
    assert weekly.count("](data:image/svg+xml;base64,") == 2 and ".svg)" not in weekly
    assert "2025-09-03 12:00:00 UTC" in (reports_dir / "trends" / "weekly.md").read_text()
    # Without config the clock is the run's start.
    started = datetime.fromtimestamp(instance.get_run_record_by_id(result.run_id).start_time,
                                     UTC)
    leaderboard = (reports_dir / "leaderboard_zh.md").read_text(encoding="utf-8")
    assert f"{started:%Y-%m-%d %H:%M:%S} UTC" in leaderboard

    pages = {p: p.read_text(encoding="utf-8") for p in reports_dir.rglob("*") if p.is_file()}
    assert "GLM-4.5 &lt;img src=x onerror=alert(1)&gt; \\| &#123;&#123;x&#125;&#125;" in leaderboard
    assert not any("<img" in text for text in pages.values())
    # GitBook templating matters in Markdown only; an SVG is served as an image.
    assert not any("{{x}}" in text for p, text in pages.items() if p.suffix == ".md")
    assert any("GLM-4.5 &lt;img" in text for p, text in pages.items() if p.suffix == ".svg")
    # The feeds carry it as text: escaped in Atom, a plain string in JSON.
    assert "GLM-4.5 &lt;img" in pages[reports_dir / "feeds" / "text.atom"]
    assert any(item["title"] == f"[文本] 新模型：{hostile}"
               for item in json.loads(pages[reports_dir / "feeds" / "text.json"])["items"])
    feeds = result.asset_materializations_for_node("event_feeds")[0].metadata
    assert feeds["files"].value == 8 and "preview" not in feeds


def test_reports_do_not_run_when_the_analytics_fail(tmp_path):
    # A database whose `snapshots` table is not ours: the analytics asset fails, so the report
    # assets are skipped and yesterday's pages stay as they were. (A database with nothing
    # loaded is no failure: analytics creates its tables and views, empty.)
    with duckdb.connect(str(tmp_path / "empty.duckdb")) as conn:
        conn.execute("create table snapshots (note varchar)")
    reports_dir = tmp_path / "reports"
    reports_dir.mkdir()
    (reports_dir / "leaderboard_zh.md").write_text("yesterday's page\n", encoding="utf-8")
    result = dg.materialize(
        [*analytics_assets, *analytics_checks, *report_assets],
        resources={"duckdb": DuckDBResource(database=str(tmp_path / "empty.duckdb")),
                   "reports_dir": ReportsDirResource(path=str(reports_dir))},
        raise_on_error=False,
    )
    assert not result.success
    assert not result.asset_materializations_for_node("leaderboard_reports")
    assert not result.asset_materializations_for_node("trend_reports")
    assert tree(reports_dir) == {"leaderboard_zh.md": b"yesterday's page\n"}


@pytest.mark.slow
def test_method_changes_are_explained_in_chinese(history, tmp_path):
    write(history, tmp_path, date(2025, 7, 31), CLOCK)
    switch = (tmp_path / "trends" / "2025-07-27.md").read_text(encoding="utf-8")
    assert zh.METHOD_RANK_IS_POSITION.format(before="v2", after="v3") in switch
    assert zh.METHOD_LISTING_RESHOWN.format(count=40) in switch
    assert "上游更换了置信区间的计算方法" in switch and "上游重新标定了分数尺度" in switch
    # Only real movers are counted as left out, not every model listed in both versions.
    assert zh.METHOD_EXCLUDED.format(count=49) in switch
    assert zh.LISTING_RESHOWN.format(count=40) in switch
    offset = (tmp_path / "trends" / "2025-06-03.md").read_text(encoding="utf-8")
    assert zh.METHOD_SCORE_OFFSET.format(shift="+10") in offset
    # The offset is removed: nobody rose or fell that day, and nothing is left out either.
    for page in (switch, offset):
        assert "## 显著上升" not in page and "## 显著下降" not in page
    assert zh.METHOD_EXCLUDED.split("{", 1)[0] not in offset
    vision = (tmp_path / "trends" / "vision" / "2025-07-28.md").read_text(encoding="utf-8")
    assert zh.LEADER_EMPTY not in vision and "当前并列第一" in vision  # a tie at the top is said


@pytest.mark.slow
def test_float_noise_of_a_recompute_renders_no_digest_again(history, tmp_path):
    database = tmp_path / "arena.duckdb"
    shutil.copyfile(history["ARENA_DB"], database)
    reports = tmp_path / "reports"
    cache = reports / "trends" / ".digest_inputs.json"

    def fingerprints() -> dict[str, str]:
        return {page: value[0] for page, value in json.loads(cache.read_text())["pages"].items()}

    with duckdb.connect(str(database)) as conn:
        write_all_reports(conn, reports, as_of=None, now=CLOCK)
        before = fingerprints()
        # What DuckDB's parallel sums do to a least-squares fit between two recomputes of the
        # same data at ten years of history: the last bits of the slope and the stretch move.
        noisy = conn.execute("update data_versions set score_slope = score_slope + 3e-14, "
                             "scale_stretch = scale_stretch + 1e-11 where score_slope is not null").fetchone()[0]
        again = write_all_reports(conn, reports, as_of=None, now=CLOCK + timedelta(hours=1))
        after_noise = fingerprints()
        # A change of the fit that a page can print is a change of its digest's inputs (and of
        # the next digest's, which compares with it).
        day, following = conn.execute(
            "select snapshot_date, lead(snapshot_date) over (order by snapshot_date) from data_versions "
            "where arena = 'text' qualify version_no = 40").fetchone()
        conn.execute("update data_versions set score_slope = score_slope + 0.001 "
                     "where arena = 'text' and snapshot_date = ?", [day])
        write_all_reports(conn, reports, as_of=None, now=LATER)
        after_change = fingerprints()
    assert noisy > 50
    assert not any(r.changed for r in again)
    assert after_noise == before
    assert {page for page in before if after_change[page] != before[page]} == {
        f"trends/{day.isoformat()}.md", f"trends/{following.isoformat()}.md"}


def test_pages_written_in_threads_are_whole_and_a_failed_write_is_raised_after_the_others(tmp_path):
    """write_trend_reports hands its pages to a few threads (the fsyncs overlap); leaving the
    block waits for every page and raises the first write that failed, so the digests' inputs
    are not recorded for a page that is not on disk."""
    from arena_pipeline.reports.build import _PageWrites

    blocked = tmp_path / "trends" / "2025-08-01.md"
    blocked.mkdir(parents=True)  # a folder where a page goes: its rename fails
    pages = {tmp_path / "trends" / f"2025-07-{day:02d}.md": f"page {day}\n" * 500 for day in range(1, 31)}
    with pytest.raises(IsADirectoryError), _PageWrites() as writes:
        for path, text in pages.items():
            assert writes.write(path, text).changed
        writes.write(blocked, "never written\n")
        writes.write(tmp_path / "SUMMARY.md", "summary\n")
        # The same page twice: the second compares with the first as written.
        assert not writes.write(tmp_path / "SUMMARY.md", "summary\n").changed
    assert {path: path.read_text(encoding="utf-8") for path in pages} == pages
    assert (tmp_path / "SUMMARY.md").read_text(encoding="utf-8") == "summary\n"
    assert blocked.is_dir() and not list(blocked.iterdir())
    assert sorted(p.name for p in (tmp_path / "trends").iterdir() if p.name.endswith(".tmp")) == []
