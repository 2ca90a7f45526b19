"""One identity per model and arena across both sources (history/cross_source.py): the pure
linking rules on small lists, then the real CSV history against a dataset board generated from
the same releases (slugs for display names, unrounded ratings), through refresh_analytics."""

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from arena_pipeline.history.analytics import DEFAULT_NAME_MAP, refresh_analytics
from arena_pipeline.history.cross_source import (
    ARENA_PAIRS,
    BY_LINK_SLUG,
    BY_MAP,
    BY_NAME,
    BY_NUMBERS,
    BY_OTHER_ARENA,
    Listing,
    MapRow,
    PairEvidence,
    SourceName,
    build_identities,
    load_name_map,
    slug_in_link,
)
from arena_pipeline.ingest.dataset import refresh_dataset
from arena_pipeline.reports.build import write_feeds, write_trend_reports
from arena_pipeline.reports.dataset_build import display_names, fresher_dataset_page, with_display_names
from arena_pipeline.reports.feeds import entry_id
from arena_pipeline.sources.dataset import DatasetSource
from arena_pipeline.warehouse.database import query_dicts
from tests.conftest import release_file
from tests.dataset_fixtures import TEXT_TYPES, board_from_csv, subset_path, write_parquet, write_revision
from tests.history_fixture import copy_of

CSV, DATASET = "fboulnois", "lmarena_dataset"
ROOT = Path(__file__).resolve().parent.parent


def csv_name(name, arena="text", model_id=None, url=None):
    return SourceName(CSV, arena, name, (f"{CSV}/{arena}/overall\t{model_id or name}",), url)


def slug(name, arena="text", model_id=None):
    return SourceName(DATASET, arena, name, (f"{DATASET}/{arena}/overall\t{model_id or name}",))


def ids(identities):
    return {(i.source, i.arena, i.name): (i.model_id, i.linked_by) for i in identities}


def listed(source, name, *days, arena="text"):
    return Listing(source, arena, name, frozenset(dt.date(2025, 5, d) for d in days))


def test_numbers_link_a_display_name_to_its_slug_and_renames_keep_one_identity():
    names = [csv_name("Claude 3.7 Sonnet"), csv_name("Gemini-2.5-Pro-Preview-06-05"),
             csv_name("Gemini-2.5-Pro", model_id="Gemini-2.5-Pro-Preview-06-05"),
             slug("claude-3-7-sonnet-20250219"), slug("gemini-2.5-pro")]
    evidence = [PairEvidence("text", "Claude 3.7 Sonnet", "claude-3-7-sonnet-20250219", 2, 0, 2),
                PairEvidence("text", "Gemini-2.5-Pro-Preview-06-05", "gemini-2.5-pro", 1, 1, 1)]
    got = ids(build_identities(names, evidence))
    assert got[(CSV, "text", "Claude 3.7 Sonnet")] == ("claude-3-7-sonnet-20250219", BY_NUMBERS)
    assert got[(DATASET, "text", "claude-3-7-sonnet-20250219")] == ("claude-3-7-sonnet-20250219", BY_NUMBERS)
    # One date with equal votes is enough; the CSV's later name keeps the identity.
    assert got[(CSV, "text", "Gemini-2.5-Pro")] == ("gemini-2.5-pro", BY_NUMBERS)
    assert got[(CSV, "text", "Gemini-2.5-Pro-Preview-06-05")] == ("gemini-2.5-pro", BY_NUMBERS)


def test_one_date_without_votes_is_not_enough_and_disagreeing_dates_veto():
    names = [csv_name("Model A"), slug("model-a-0501"), csv_name("Model B"), slug("model-b")]
    evidence = [PairEvidence("text", "Model A", "model-a-0501", 1, 0, 1),
                PairEvidence("text", "Model B", "model-b", 2, 0, 2)]
    listings = [listed(CSV, "Model B", 1, 2, 3, 4, 5), listed(DATASET, "model-b", 1, 2, 3, 4, 5)]
    got = ids(build_identities(names, evidence, listings))
    assert got[(CSV, "text", "Model A")] == ("Model A", None)
    # Same spelling, but listed together on 5 dates and agreeing on 2: the numbers say no.
    assert got[(CSV, "text", "Model B")] == ("Model B", None)
    assert got[(DATASET, "text", "model-b")] == ("model-b", None)


def test_spelling_links_only_where_the_numbers_do_not_contradict():
    names = [csv_name("Gemini-Exp-1206", url="https://aistudio.google.com/app/prompts/new_chat?model=gemini-exp-1206"),
             csv_name("GLM-4.5"), csv_name("Command R+"), csv_name("Command R"),
             slug("gemini-exp-1206"), slug("glm-4.5"), slug("command-r-plus"), slug("command-r")]
    got = ids(build_identities(names, []))
    assert got[(CSV, "text", "Gemini-Exp-1206")] == ("gemini-exp-1206", BY_LINK_SLUG)
    assert got[(CSV, "text", "GLM-4.5")] == ("glm-4.5", BY_NAME)
    assert got[(CSV, "text", "Command R+")] == ("command-r-plus", BY_NAME)
    assert got[(CSV, "text", "Command R")] == ("command-r", BY_NAME)
    assert slug_in_link("https://x/new_chat?instructions=lmsys&model=Gemini-1.5-Pro-002#a") == "gemini-1.5-pro-002"
    assert slug_in_link("https://www.anthropic.com/news/claude-3-7-sonnet") is None


def test_two_equally_good_candidates_link_neither():
    names = [csv_name("Twin"), slug("twin-a"), slug("twin-b")]
    evidence = [PairEvidence("text", "Twin", "twin-a", 2, 0, 2), PairEvidence("text", "Twin", "twin-b", 2, 0, 2)]
    got = ids(build_identities(names, evidence))
    assert {got[(CSV, "text", "Twin")], got[(DATASET, "text", "twin-a")], got[(DATASET, "text", "twin-b")]} == {
        ("Twin", None), ("twin-a", None), ("twin-b", None)}


def test_the_map_forces_and_forbids_and_a_text_link_carries_to_vision():
    names = [csv_name("Claude Opus 4 (thinking-16k)"), slug("claude-opus-4-20250514-thinking-16k"),
             csv_name("Gemini-2.5-Pro"), slug("gemini-2.5-pro"),
             csv_name("Claude 3.7 Sonnet"), slug("claude-3-7-sonnet-20250219"),
             csv_name("Claude 3.7 Sonnet", "vision"), slug("claude-3-7-sonnet-20250219", "vision"),
             csv_name("Ideogram 2.0", "image"), slug("ideogram-v2", "text_to_image")]
    name_map = [MapRow("text", "Claude Opus 4 (thinking-16k)", "claude-opus-4-20250514-thinking-16k", "link", ""),
                MapRow("text", "Gemini-2.5-Pro", "gemini-2.5-pro", "veto", ""),
                MapRow("image", "Ideogram 2.0", "ideogram-v2", "link", "")]
    evidence = [PairEvidence("text", "Claude 3.7 Sonnet", "claude-3-7-sonnet-20250219", 3, 0, 3)]
    got = ids(build_identities(names, evidence, [], name_map))
    assert got[(CSV, "text", "Claude Opus 4 (thinking-16k)")] == ("claude-opus-4-20250514-thinking-16k", BY_MAP)
    assert got[(CSV, "text", "Gemini-2.5-Pro")] == ("Gemini-2.5-Pro", None)
    assert got[(CSV, "vision", "Claude 3.7 Sonnet")] == ("claude-3-7-sonnet-20250219", BY_OTHER_ARENA)
    assert got[(CSV, "image", "Ideogram 2.0")] == ("ideogram-v2", BY_MAP)
    assert got[(DATASET, "text_to_image", "ideogram-v2")] == ("ideogram-v2", BY_MAP)


def test_the_checked_in_map_is_one_to_one_and_names_real_csv_models(tmp_path):
    rows = load_name_map(DEFAULT_NAME_MAP)
    assert rows, "config/dataset_name_map.csv has pairs"
    for arena in ARENA_PAIRS:
        links = [r for r in rows if r.arena == arena and r.action == "link"]
        assert len({r.csv_model for r in links}) == len(links), f"{arena}: a CSV name linked twice"
        assert len({r.dataset_model for r in links}) == len(links), f"{arena}: a slug linked twice"
    pairs = [(r.arena, r.csv_model, r.dataset_model) for r in rows]
    assert len(set(pairs)) == len(pairs), "a pair is both linked and vetoed, or listed twice"
    # Every CSV name of the map was published by the CSV source in that arena.
    published = {
        (arena, line.split(",")[2] if line.count(",") > 2 else "")
        for tag, arena, file in [("2025.07.26", "text", "lmsys.csv"), ("2025.08.04", "text", "lmarena_text.csv"),
                                 ("2025.08.04", "vision", "lmarena_vision.csv"), ("2025.08.04", "image", "lmarena_image.csv")]
        for line in release_file(tag, file).decode("utf-8").splitlines()[1:]
    }
    missing = [r for r in rows if (r.arena, r.csv_model) not in published]
    assert not missing, f"map rows naming no CSV model of their arena: {missing}"
    bad = tmp_path / "map.csv"
    bad.write_text("arena,csv_model,dataset_model,action\nmusic,A,a,link\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"map.csv: data row 1: arena must be one of text, vision, image, got 'music'"):
        load_name_map(bad)


# The CSV's real text board of two days, published by the "dataset" under slugs: the CSV name
# lowered, except these, which spelling cannot link.
SLUGS = {"Claude 3.7 Sonnet": "claude-3-7-sonnet-20250219", "Meta-Llama-3.1-70B-Instruct": "llama-3.1-70b-instruct",
         "Amazon Nova Micro 1.0": "amazon-nova-micro-v1.0", "Mistral-7B-Instruct-v0.1": "mistral-7b-instruct"}
SHARED = [("2025.05.06", "lmsys.csv", dt.date(2025, 5, 6)), ("2025.08.04", "lmarena_text.csv", dt.date(2025, 8, 4)),
          ("2025.08.04", "lmarena_text.csv", dt.date(2025, 8, 5))]  # the CSV repeats 08-04 on 08-05


@pytest.fixture
def both_sources(ingested_history, tmp_path):
    conn = duckdb.connect(str(copy_of(ingested_history, tmp_path)))
    rows = []
    for tag, file, day in SHARED:
        # GLM-4.5's slug is spelled like its CSV name but its numbers are another model's.
        rows += board_from_csv(release_file(tag, file), day, SLUGS, {"GLM-4.5": 30.0})
    write_parquet(subset_path(tmp_path / "dataset", "text"), rows, TEXT_TYPES)
    write_revision(tmp_path / "dataset", "0" * 40)
    refresh_dataset(conn, DatasetSource(str(tmp_path / "dataset")), ["text"])
    refresh_analytics(conn)
    yield conn
    conn.close()


def test_the_real_history_links_across_sources_by_numbers(both_sources):
    conn = both_sources
    linked = dict(conn.execute("""select linked_by, count(*) from model_identities
                                  where source = 'fboulnois' and arena = 'text' group by all""").fetchall())
    # Every CSV text name of the two days (and its earlier names) but GLM-4.5 and one more.
    assert linked == {"numbers": 314, None: 2}
    names = conn.execute("""select model_id, source, arena, name, first_seen, last_seen from v_model_names
                            where model_id = 'claude-3-7-sonnet-20250219' order by all""").fetchall()
    assert names == [
        ("claude-3-7-sonnet-20250219", "fboulnois", "text", "Claude 3.7 Sonnet", dt.date(2025, 3, 1), dt.date(2025, 9, 2)),
        ("claude-3-7-sonnet-20250219", "lmarena_dataset", "text", "claude-3-7-sonnet-20250219",
         dt.date(2025, 5, 6), dt.date(2025, 8, 5)),
    ]
    # GLM-4.5: same spelling, numbers 30 points apart on both shared days: two models.
    assert conn.execute("""select source, model_id, linked_by from model_identities
                           where model in ('GLM-4.5', 'glm-4.5') order by source""").fetchall() == [
        ("fboulnois", "GLM-4.5", None), ("lmarena_dataset", "glm-4.5", None)]
    # One history across both sources: the CSV board's rows and the dataset's under one id.
    history = conn.execute("""select source, snapshot_date, model, rank_ub, score, votes from v_model_history
                              where model_id = 'claude-3-7-sonnet-20250219' and category = 'overall'
                              order by snapshot_date, source""").fetchall()
    assert len(history) == 40 and history[0] == ("fboulnois", dt.date(2025, 3, 1), "Claude 3.7 Sonnet", 11, 1313.0, 3184)
    # (the dataset's 08-05 repeats 08-04: not a data version)
    assert history[-2:] == [("fboulnois", dt.date(2025, 8, 4), "Claude 3.7 Sonnet", 74, 1301.0, 37645),
                            ("lmarena_dataset", dt.date(2025, 8, 4), "claude-3-7-sonnet-20250219", 74, 1301.42, 37645)]



def test_dataset_pages_show_the_names_links_and_cutoffs_the_csv_knew(both_sources):
    now = dt.datetime(2025, 8, 6, 11, 44, 37, tzinfo=dt.UTC)
    rows = {row["model"]: row for row in with_display_names(query_dicts(
        both_sources, "reports/dataset_board", arena="text", category="overall", as_of=dt.date(2025, 8, 5)),
        display_names(both_sources, "text"))}
    claude = rows["Claude 3.7 Sonnet"]
    assert claude["slug"] == "claude-3-7-sonnet-20250219"
    assert claude["url"] == "https://www.anthropic.com/news/claude-3-7-sonnet"
    assert "glm-4.5" in rows and "GLM-4.5" not in rows  # not linked: its slug stays
    # The cutoff of the CSV's newest row that has one (v3 files publish none).
    sonnet = rows["Claude 3.5 Sonnet (20240620)"]
    assert (sonnet["slug"], sonnet["knowledge_cutoff"]) == ("claude 3.5 sonnet (20240620)", "2024/4")
    # The arena's main page from the dataset (published after the CSV's newest data): display names.
    both_sources.execute("update dataset_entries set snapshot_date = '2025-08-06' where snapshot_date = '2025-08-05'")
    both_sources.execute("update dataset_snapshots set snapshot_date = '2025-08-06' where snapshot_date = '2025-08-05'")
    page = fresher_dataset_page(both_sources, "text", dt.date(2025, 8, 6), now)
    assert "[Claude 3.7 Sonnet](https://www.anthropic.com/news/claude-3-7-sonnet)" in page
    assert "claude-3-7-sonnet-20250219" not in page and "| glm-4.5 |" in page


def test_the_all_feed_tells_an_event_both_sources_report_once(both_sources, tmp_path):
    write_feeds(both_sources, tmp_path, as_of=dt.date(2025, 8, 5))
    feeds = {path.stem: json.loads(path.read_text(encoding="utf-8"))["items"]
             for path in (tmp_path / "feeds").glob("*.json")}
    assert set(feeds) == {"text", "vision", "image", "dataset_text", "all"}
    titles = {key: [item["title"] for item in items] for key, items in feeds.items()}
    # GLM-4.5-Air is new on 2025-08-04 on both text boards: one model, one event.
    assert "[文本] 新模型：GLM-4.5-Air" in titles["text"]
    # The dataset's entry shows the CSV's name; its id keeps the slug (a new link makes no new entry).
    air = next(item for item in feeds["dataset_text"] if item["title"] == "[文本（官方数据集）] 新模型：GLM-4.5-Air")
    assert air["id"] == entry_id("dataset_text", dt.date(2025, 8, 4), "new_model", "glm-4.5-air")
    assert air["id"] not in {item["id"] for item in feeds["all"]}
    # glm-4.5 is another model than GLM-4.5 (the numbers disagree): its own event.
    assert "[文本（官方数据集）] 新模型：glm-4.5" in titles["all"]
    per_board = [item for key in ("text", "dataset_text") for item in feeds[key]]
    assert len(feeds["all"]) == 100 < len(per_board)


def test_the_labelled_pairs_name_real_csv_models_and_hold_out_a_third(ingested_history):
    labels = ROOT.joinpath("tests", "data", "cross_source_labels.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in labels.splitlines() if not line.startswith("#")))
    assert len(rows) == 1113 and sum(row["same"] == "true" for row in rows) == 365
    assert {row["same"] for row in rows} == {"true", "false"} and {row["split"] for row in rows} == {"tune", "held_out"}
    pairs = [(row["arena"], row["csv_model"], row["dataset_model"]) for row in rows]
    assert len(set(pairs)) == len(pairs), "a pair labelled twice"
    names = {(row["arena"], row["csv_model"]): row["split"] for row in rows}
    assert sum(split == "held_out" for split in names.values()) == 141 and len(names) == 374
    with duckdb.connect(str(ingested_history), read_only=True) as conn:
        published = set(conn.execute("select distinct arena, model from leaderboard_entries").fetchall())
    assert set(names) <= published


def test_dataset_digests_and_charts_show_the_names_the_csv_knew(both_sources, tmp_path):
    now = dt.datetime(2025, 8, 6, 11, 44, 37, tzinfo=dt.UTC)
    write_trend_reports(both_sources, tmp_path, as_of=dt.date(2025, 8, 5), now=now)
    digest = (tmp_path / "trends" / "dataset_text" / "2025-08-04.md").read_text(encoding="utf-8")
    # GLM-4.5-Air is new on the dataset's 2025-08-04 too (linked by its numbers); glm-4.5 is
    # another model than the CSV's GLM-4.5 and keeps its slug.
    assert "| [GLM-4.5-Air](https://z.ai/blog/glm-4.5) | 15 |" in digest and "glm-4.5-air" not in digest
    assert "| glm-4.5 | 1 |" in digest
    chart = (tmp_path / "trends" / "charts" / "dataset_text_score_90d.svg").read_text(encoding="utf-8")
    assert "Gemini-2.5-Pro" in chart and "gemini-2.5-pro" not in chart
