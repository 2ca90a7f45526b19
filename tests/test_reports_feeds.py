"""Events feeds: valid Atom 1.0 (parsed by feedparser, required elements of RFC 4287 checked)
and valid JSON Feed 1.1 (validated by jsonschema against tests/data/json_feed_1_1.schema.json,
written from the specification); stable ids; hostile names survive as plain text; on the real
history, every entry links to a digest that exists."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import feedparser
import jsonschema
import pytest

from arena_pipeline.reports.build import STALE_DAYS, write_all_reports, write_feeds
from arena_pipeline.reports.feeds import (
    MAX_ENTRIES,
    FeedInfo,
    arena_entries,
    newest_first,
    render_atom,
    render_json_feed,
)

SCHEMA = json.loads((Path(__file__).parent / "data" / "json_feed_1_1.schema.json").read_text())
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
HOSTILE = "Evil <b>&amp;</b> ]]> \x07model"

EVENTS = [
    {"snapshot_date": date(2025, 8, 1), "event_type": "new_leader", "model": "Leader-2",
     "previous_model": "Leader-1", "rank_ub": 1, "score": 1450.4},
    {"snapshot_date": date(2025, 8, 1), "event_type": "new_model", "model": HOSTILE,
     "previous_model": None, "rank_ub": 7, "score": 1400.0},
    {"snapshot_date": date(2025, 7, 20), "event_type": "renamed", "model": "New-Name",
     "previous_model": "old-name", "rank_ub": 3, "score": 1420.0},
    {"snapshot_date": date(2025, 7, 20), "event_type": "entered_top10", "model": "Climber",
     "previous_model": None, "rank_ub": 9, "rank_ub_prev": 14, "score": 1390.0},
    {"snapshot_date": date(2025, 7, 10), "event_type": "method_change", "model": None,
     "previous_model": None, "rank_ub": None, "score": None},
    {"snapshot_date": date(2025, 7, 10), "event_type": "dropped", "model": "Gone",
     "previous_model": None, "rank_ub": None, "score": None},
]
STALE = [{"data_date": date(2025, 8, 1), "stale_since": date(2025, 8, 15)}]


def entries(arena="text"):
    return arena_entries(arena, EVENTS, STALE, stale_days=14,
                         digest_path=lambda day: f"trends/{day.isoformat()}.md")


def info(key="text", suffix=".atom"):
    return FeedInfo(key, "LLM Arena 文本排行榜动态", f"feeds/{key}{suffix}", "trends/index.md",
                    date(2025, 8, 20))


def assert_valid_atom(text: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    # RFC 4287 4.1.1: a feed has exactly one id, title and updated, and an author (no entry
    # here carries its own); 4.1.2: each entry one id, title, updated, and an alternate link
    # since it has no content. Ids are absolute IRIs, dates RFC 3339.
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{tag}")) == 1, tag
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert RFC3339.match(root.find(f"{ATOM}updated").text)
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{tag}")) == 1, tag
        assert re.match(r"^urn:uuid:[0-9a-f-]{36}$", entry.find(f"{ATOM}id").text)
        assert RFC3339.match(entry.find(f"{ATOM}updated").text)
        assert [link.get("rel") for link in entry.findall(f"{ATOM}link")] == ["alternate"]
    return parsed


def assert_valid_json_feed(text: str) -> dict:
    feed = json.loads(text)
    jsonschema.Draft202012Validator(SCHEMA).validate(feed)
    return feed


def test_entries_cover_the_events_readers_care_about_newest_first():
    got = entries()
    assert [e.kind for e in got] == ["stale", "new_leader", "new_model", "entered_top10", "renamed",
                                     "method_change"]  # "dropped" is not told
    assert got[1].title == "[文本] 新榜首：Leader-2"
    assert "取代 Leader-1" in got[1].text and "1450 分" in got[1].text
    assert "由 14 升至 9" in got[3].text
    assert got[0].link == "trends/2025-08-01.md" and got[0].day == date(2025, 8, 15)
    assert all(e.link == f"trends/{e.day.isoformat()}.md" for e in got[1:])


def test_atom_feed_is_valid_and_reads_as_plain_text():
    parsed = assert_valid_atom(render_atom(info(), entries()))
    assert parsed.feed.title == "LLM Arena 文本排行榜动态"
    assert parsed.feed.updated == "2025-08-15T00:00:00Z"
    titles = [e.title for e in parsed.entries]
    assert "[文本] 新模型：Evil <b>&amp;</b> ]]> model" in titles  # the bell character is dropped
    new_model = parsed.entries[titles.index("[文本] 新模型：Evil <b>&amp;</b> ]]> model")]
    assert new_model.link == "../trends/2025-08-01.md"
    assert new_model.tags[0].term == "new_model"


def test_json_feed_is_valid_json_feed_1_1():
    text = render_json_feed(info(suffix=".json"), entries())
    assert "<" not in text and "&" not in text  # escaped as \u003c, \u0026: same JSON string
    feed = assert_valid_json_feed(text)
    assert "[文本] 新模型：Evil <b>&amp;</b> ]]> model" in [item["title"] for item in feed["items"]]
    assert [item["url"] for item in feed["items"]][:2] == ["../trends/2025-08-01.md"] * 2
    assert "feed_url" not in feed  # no site URL: nothing absolute to point at
    # The schema is not vacuous: it refuses what the specification forbids.
    for broken in ({k: v for k, v in feed.items() if k != "version"},
                   {**feed, "items": [{"title": "no id, no content"}]},
                   {**feed, "items": [{**feed["items"][0], "date_published": "2025-08-01"}]},
                   {**feed, "itmes": []}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft202012Validator(SCHEMA).validate(broken)


def test_site_url_makes_every_link_absolute():
    atom = render_atom(info(), entries(), "https://example.org/arena")
    parsed = assert_valid_atom(atom)
    assert parsed.entries[0].link == "https://example.org/arena/trends/2025-08-01.md"
    assert parsed.feed.links[0].href == "https://example.org/arena/feeds/text.atom"
    feed = assert_valid_json_feed(render_json_feed(info(suffix=".json"), entries(), "https://example.org/arena"))
    assert feed["feed_url"] == "https://example.org/arena/feeds/text.json"
    assert all(item["url"].startswith("https://example.org/arena/trends/") for item in feed["items"])


def test_ids_are_stable_unique_and_shared_between_arena_and_all_feeds():
    first, again = entries(), entries()
    assert [e.id for e in first] == [e.id for e in again]
    assert len({e.id for e in first}) == len(first)
    vision = entries("vision")
    assert not {e.id for e in first} & {e.id for e in vision}  # same names, other arena
    merged = newest_first(first + vision)
    assert {e.id for e in merged} == {e.id for e in first + vision}
    atom_ids = [e.id for e in feedparser.parse(render_atom(info("all"), merged)).entries]
    json_ids = [i["id"] for i in json.loads(render_json_feed(info("all", ".json"), merged))["items"]]
    assert atom_ids == json_ids == [e.id for e in merged]


def test_feed_keeps_the_newest_entries_only():
    many = [{"snapshot_date": date.fromordinal(date(2025, 1, 1).toordinal() + k),
             "event_type": "new_model", "model": f"M{k}", "rank_ub": 5, "score": 1300}
            for k in range(MAX_ENTRIES + 20)]
    got = arena_entries("text", many, [], stale_days=14, digest_path=lambda d: f"trends/{d}.md")
    assert len(got) == MAX_ENTRIES and got[0].title.endswith(f"M{MAX_ENTRIES + 19}")


def test_empty_feeds_are_valid():
    assert_valid_atom(render_atom(info(), []))
    assert assert_valid_json_feed(render_json_feed(info(suffix=".json"), []))["items"] == []


@pytest.mark.slow
def test_feeds_of_the_real_history(history, tmp_path):
    with duckdb.connect(str(history["ARENA_DB"]), read_only=True) as conn:
        write_all_reports(conn, tmp_path, as_of=None, now=datetime(2025, 9, 3, tzinfo=UTC))
        written = write_feeds(conn, tmp_path, as_of=None)
    assert not any(r.changed for r in written)  # the same bytes as write_all_reports wrote
    names = sorted(r.path.relative_to(tmp_path).as_posix() for r in written)
    assert names == sorted(f"feeds/{key}.{ext}" for key in ("text", "vision", "image", "all")
                           for ext in ("atom", "json"))
    feeds = {}
    for key in ("text", "vision", "image", "all"):
        atom_text = (tmp_path / "feeds" / f"{key}.atom").read_text(encoding="utf-8")
        parsed = assert_valid_atom(atom_text)
        feed = assert_valid_json_feed((tmp_path / "feeds" / f"{key}.json").read_text(encoding="utf-8"))
        assert [e.id for e in parsed.entries] == [item["id"] for item in feed["items"]]
        for item in feed["items"]:
            assert (tmp_path / "feeds" / item["url"]).resolve().is_file(), item["url"]
        feeds[key] = feed
    # The upstream has repeated 2025-08-04's data since then: each arena says so once, 14 days on.
    for key in ("text", "vision", "image"):
        stale = [i for i in feeds[key]["items"] if "上游停更" in i["tags"]]
        assert len(stale) == 1 and stale[0]["date_published"] == "2025-08-18T00:00:00Z"
        assert stale[0]["url"].endswith("2025-08-04.md")
    assert STALE_DAYS == 14
    text_items = feeds["text"]["items"]
    # The v2 -> v3 switch of 2025-07-27 is a method change.
    assert any("方法变更" in i["tags"] and i["date_published"].startswith("2025-07-27") for i in text_items)
    assert any(i["title"] == "[文本] 新模型：GLM-4.5" for i in text_items)
    all_ids = [i["id"] for i in feeds["all"]["items"]]
    assert len(all_ids) == len(set(all_ids))
    assert {i["id"] for i in feeds["vision"]["items"]} <= set(all_ids)  # vision has few events


def test_a_minor_boards_news_is_its_top_and_headline_boards_lead_the_day():
    deep = [*EVENTS,
            {"snapshot_date": date(2025, 8, 1), "event_type": "new_model", "model": "Far-Down",
             "previous_model": None, "rank_ub": 57, "score": 1200.0},
            {"snapshot_date": date(2025, 8, 1), "event_type": "renamed", "model": "Deep-New",
             "previous_model": "deep-old", "rank_ub": 21, "score": 1250.0}]
    every = arena_entries("webdev", deep, STALE, stale_days=14, digest_path=lambda day: f"t/{day}.md")
    minor = arena_entries("webdev", deep, STALE, stale_days=14, digest_path=lambda day: f"t/{day}.md",
                          news_top=20)
    told = {e.title.split("：", 1)[-1] for e in every} - {e.title.split("：", 1)[-1] for e in minor}
    assert len(every) - len(minor) == 2 and all("Far-Down" in t or "Deep-New" in t for t in told)
    assert {e.kind for e in minor} == {e.kind for e in entries()}  # a new #1, top-10 entries, ... still told
    mixed = newest_first([*minor, *entries("text")], lead=frozenset({"text"}))
    first_day = [e.arena for e in mixed if e.day == date(2025, 8, 1)]
    assert first_day == sorted(first_day, key=lambda arena: arena != "text")  # the headline board leads
