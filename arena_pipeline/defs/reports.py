"""Report assets: thin wrappers around arena_pipeline.reports.build, run after the analytics."""

import base64
import datetime as dt
import mimetypes
import re
import time
from pathlib import Path
from urllib.parse import unquote

import dagster as dg
from dagster_duckdb import DuckDBResource

from arena_pipeline.defs.automation import DOWNSTREAM_OF_INGESTION
from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL
from arena_pipeline.defs.resources import ReportsDirResource
from arena_pipeline.reports.boards import LEADERBOARD_PAGE
from arena_pipeline.reports.build import (
    FEEDS_DIR,
    WEEKLY_PAGE,
    WrittenReport,
    write_feeds,
    write_leaderboards,
    write_trend_reports,
)
from arena_pipeline.reports.markdown import parse_clock


class ReportClock(dg.Config):
    """The generation time printed on the pages; the run's start time unless given."""

    now: str | None = None  # ISO-8601 with a timezone, e.g. 2025-07-09T11:44:37+00:00


def _clock(context: dg.AssetExecutionContext, config: ReportClock) -> dt.datetime:
    if config.now:
        try:
            return parse_clock(config.now)
        except ValueError as exc:
            raise dg.Failure(f"run config now: {exc}") from None
    # The run's start, not each asset's: every page of one run shows the same time.
    record = context.instance.get_run_record_by_id(context.run.run_id)
    if record is not None and record.start_time is not None:
        return dt.datetime.fromtimestamp(record.start_time, dt.UTC)
    return dt.datetime.now(dt.UTC)


def _result(context: dg.AssetExecutionContext, reports: list[WrittenReport], main_page,
            seconds: float, *, markdown: bool = True) -> dg.MaterializeResult:
    """Metadata that lets the UI show the main page: preview, path, size, file counts."""
    rewritten = sum(report.changed for report in reports)
    context.log.info(f"{len(reports)} files ({rewritten} rewritten) in {seconds:.2f} s")
    metadata = {"files": len(reports), "files_rewritten": rewritten,
                "render_seconds": round(seconds, 3)}
    main = next((report for report in reports if report.path == main_page), None)
    if main is not None:
        metadata |= {
            "path": dg.MetadataValue.path(str(main.path)),
            "size_bytes": len(main.text.encode("utf-8")),
        }
        if markdown:  # the UI renders the preview as Markdown
            metadata["preview"] = dg.MetadataValue.md(inline_images(main.text, main.path.parent))
    return dg.MaterializeResult(metadata=metadata)


_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


def inline_images(markdown: str, folder: Path) -> str:
    """The page with its relative chart links replaced by data URIs: the UI serves no report
    files, so a relative (or file system) path shows a broken image in the preview.
    """

    def inline(match: re.Match) -> str:
        alt, target = match.groups()
        path = folder / unquote(target)
        if "://" in target or not path.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"![{alt}](data:{mime};base64,{data})"

    return _IMAGE.sub(inline, markdown)


# The analytics tables the report queries read.
REPORT_INPUTS = ["data_versions", "model_versions", "rank_movements", "model_events"]


def _report_asset(extra_deps=(), **kwargs):
    return dg.asset(deps=[*REPORT_INPUTS, *extra_deps], group_name="reports", kinds={"markdown"},
                    pool=DUCKDB_WRITER_POOL, automation_condition=DOWNSTREAM_OF_INGESTION, **kwargs)


# After the official dataset too: its boards have pages, and it may be the fresher source.
@_report_asset(extra_deps=["lmarena_dataset"])
def leaderboard_reports(
    context: dg.AssetExecutionContext, config: ReportClock, duckdb: DuckDBResource,
    reports_dir: ReportsDirResource,
) -> dg.MaterializeResult:
    """The Chinese leaderboard pages readers open first (leaderboard_zh.md, plus _vision and
    _image), as of the newest release loaded. Runs only when the analytics and their blocking
    checks pass, so a bad ingestion leaves yesterday's pages in place.
    """
    folder = Path(reports_dir.path)
    started = time.perf_counter()
    with duckdb.get_connection() as conn:
        reports = write_leaderboards(conn, folder, as_of=None, now=_clock(context, config))
    return _result(context, reports, folder / LEADERBOARD_PAGE, time.perf_counter() - started)


@_report_asset()
def trend_reports(
    context: dg.AssetExecutionContext, config: ReportClock, duckdb: DuckDBResource,
    reports_dir: ReportsDirResource,
) -> dg.MaterializeResult:
    """What changed, in Chinese: a digest per data version, rolling weekly and monthly reports,
    90-day charts and an index (trends/). Digests whose content is unchanged are not rewritten.
    """
    folder = Path(reports_dir.path)
    started = time.perf_counter()
    with duckdb.get_connection() as conn:
        reports = write_trend_reports(conn, folder, as_of=None, now=_clock(context, config))
    return _result(context, reports, folder / WEEKLY_PAGE, time.perf_counter() - started)


@dg.asset(deps=REPORT_INPUTS, group_name="reports", kinds={"atom", "json"},
          pool=DUCKDB_WRITER_POOL, automation_condition=DOWNSTREAM_OF_INGESTION)
def event_feeds(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, reports_dir: ReportsDirResource,
) -> dg.MaterializeResult:
    """Atom and JSON feeds (feeds/<arena>.atom|json, feeds/all.atom|json) of the events a reader
    wants to be told about: a new #1, a model entering the top 10, new models, renames, method
    changes, a stale upstream. Entry ids are stable, so a feed reader shows each event once.
    """
    folder = Path(reports_dir.path)
    started = time.perf_counter()
    with duckdb.get_connection() as conn:
        feeds = write_feeds(conn, folder, as_of=None, site_url=reports_dir.site_url)
    return _result(context, feeds, folder / FEEDS_DIR / "all.atom", time.perf_counter() - started,
                   markdown=False)


report_assets = [leaderboard_reports, trend_reports, event_feeds]
