"""Events feeds: what a reader wants to be told (a new #1, a model entering the top 10, new
models, renames, method changes, a stale upstream) as Atom 1.0 (RFC 4287) and JSON Feed 1.1.

Pure: rows in, feed text out. Entries are plain text (no Markdown), each links to the digest of
its data version. An entry's id is a UUID derived from what it reports (arena, day, kind,
model name at the time), so it never changes between runs and a feed reader never shows the
same event twice; the same event has the same id in its arena's feed and in the feed of all
arenas. Dates are the data version's day at 00:00 UTC and a feed's `updated` is its newest
entry's, so the same data gives the same bytes.
"""

import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from arena_pipeline.reports import text_zh as zh
from arena_pipeline.reports.markdown import as_date, fmt_int, is_missing, plain_text, safe_chars

Row = Mapping[str, object]

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Namespace of the entry ids; any fixed UUID would do, this one is uuid5(NAMESPACE_URL, name).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/arena_pipeline/feeds")
MAX_ENTRIES = 100  # newest first; older events stay in the digests
# Which event comes first among those of one day: the one a reader cares about most.
KIND_ORDER = ("new_leader", "entered_top10", "new_model", "renamed", "method_change", "stale")


@dataclass(frozen=True)
class FeedEntry:
    id: str  # urn:uuid:..., stable
    arena: str
    day: date
    kind: str  # one of KIND_ORDER
    title: str
    text: str
    link: str  # the digest, relative to the reports folder
    # What makes two entries one event (a board of either source, its day, kind and model
    # identity); empty: the entry is an event of its board alone.
    event_key: str = ""


def _plain(value: object) -> str:
    """Published text as one line XML 1.0 can take (markdown.plain_text)."""
    return plain_text(value)


def entry_id(arena: str, day: date, kind: str, subject: str = "") -> str:
    return "urn:uuid:" + str(uuid.uuid5(ID_NAMESPACE, f"{arena}/{day.isoformat()}/{kind}/{subject}"))


# On a board outside the headline boards (boards.is_headline), only these kinds of event are news
# below MINOR_NEWS_TOP: a new #1, a model entering the top 10, a method change and a stale
# upstream always are; a new or renamed model only within the top 20 (the index says so).
MINOR_NEWS_TOP = 20
MINOR_RANKED_KINDS = ("new_model", "renamed")


def arena_entries(arena: str, events: Sequence[Row], stale: Sequence[Row], *,
                  digest_path, stale_days: int, name: str | None = None, event_key=None,
                  news_top: int | None = None, display_names: dict[str, str] | None = None) -> list[FeedEntry]:
    """The entries of one board from rpt_feed_events and rpt_feed_stale rows.

    `arena` is the board's key (in the entry ids), `name` how the entries name the board
    (default: the arena's Chinese name). `digest_path(day)` gives the path, relative to the
    reports folder, of the digest of the data version `day`. `event_key(event)`, when given, says
    which entries of other boards report the same event (one_per_event). `news_top` (a minor
    board): a new or renamed model is told only when ranked within it. `display_names` (model ->
    the name to show; the dataset's slugs linked to a CSV name): the entry ids keep the model.
    """
    shown = display_names or {}
    name = name or zh.ARENA_NAMES.get(arena, arena)
    entries = []
    for event in events:
        kind, day = str(event["event_type"]), as_date(event["snapshot_date"])
        model, previous = event.get("model") or "", event.get("previous_model") or ""
        values = {
            "arena": name, "model": _plain(shown.get(model, model)), "date": day.isoformat(),
            "previous": _plain(shown.get(previous, previous)),
            "rank": "—" if is_missing(event.get("rank_ub")) else str(int(event["rank_ub"])),
            "rank_before": "—" if is_missing(event.get("rank_ub_prev")) else str(int(event["rank_ub_prev"])),
            "score": "—" if is_missing(event.get("score")) else fmt_int(event["score"]),
        }
        wording = zh.FEED_EVENTS.get(kind)
        if wording is None:
            continue  # an event type readers are not told about
        if news_top is not None and kind in MINOR_RANKED_KINDS and (
                is_missing(event.get("rank_ub")) or int(event["rank_ub"]) > news_top):
            continue  # a minor board's news is its top
        if kind == "new_leader" and not values["previous"]:
            wording = zh.FEED_NEW_LEADER_FIRST
        title, text = wording
        entries.append(FeedEntry(
            id=entry_id(arena, day, kind, _plain(model)), arena=arena, day=day, kind=kind,
            title=zh.FEED_ENTRY_TITLE.format(arena=name, title=title.format(**values)),
            text=text.format(**values), link=digest_path(day),
            event_key=event_key(event) if event_key else ""))
    for episode in stale:
        data_date, since = as_date(episode["data_date"]), as_date(episode["stale_since"])
        title, text = zh.FEED_STALE
        values = {"arena": name, "data_date": data_date.isoformat(), "since": since.isoformat(),
                  "days": stale_days}
        entries.append(FeedEntry(
            id=entry_id(arena, data_date, "stale"), arena=arena, day=since, kind="stale",
            title=zh.FEED_ENTRY_TITLE.format(arena=name, title=title.format(**values)),
            text=text.format(**values), link=digest_path(data_date)))
    return newest_first(entries)


def one_per_event(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """The first entry of each event (by event_key): the feed of all boards tells an event that
    both sources report (the same model, kind and day on the two boards of one arena) once."""
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.event_key and entry.event_key in seen:
            continue
        seen.add(entry.event_key)
        kept.append(entry)
    return kept


def newest_first(entries: Sequence[FeedEntry], lead: frozenset[str] = frozenset()) -> list[FeedEntry]:
    """Newest day first, then the boards of `lead` (the headline boards' keys), then by
    KIND_ORDER, arena and title: a stable order across runs."""
    order = {kind: n for n, kind in enumerate(KIND_ORDER)}
    ranked = sorted(entries, key=lambda e: (e.arena not in lead, order.get(e.kind, len(order)), e.arena,
                                            e.title, e.id))
    return sorted(ranked, key=lambda e: e.day, reverse=True)[:MAX_ENTRIES]


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _url(site_url: str | None, path: str, from_folder: str) -> str:
    """An absolute URL under site_url, else a path relative to the feed's folder."""
    if site_url:
        return f"{site_url.rstrip('/')}/{path}"
    depth = len([p for p in from_folder.split("/") if p])
    return "../" * depth + path


@dataclass(frozen=True)
class FeedInfo:
    key: str  # "text", "vision", "image" or "all"
    title: str
    path: str  # where the feed file is written, relative to the reports folder
    home_path: str  # the page the feed is about, relative to the reports folder
    updated_fallback: date  # `updated` of an empty feed: the day the reports are as of


def render_atom(info: FeedInfo, entries: Sequence[FeedEntry], site_url: str | None = None) -> str:
    """An Atom 1.0 feed document (RFC 4287)."""
    folder = info.path.rsplit("/", 1)[0] if "/" in info.path else ""
    ET.register_namespace("", ATOM_NS)

    def sub(parent, tag, text=None, **attrs):
        # Every string through safe_chars: ElementTree writes characters XML 1.0 forbids as they are.
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: safe_chars(v) for k, v in attrs.items()})
        if text is not None:
            element.text = safe_chars(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    sub(feed, "id", "urn:uuid:" + str(uuid.uuid5(ID_NAMESPACE, f"feed/{info.key}")))
    sub(feed, "title", info.title)
    sub(feed, "subtitle", zh.FEED_DESCRIPTION)
    sub(feed, "updated", _stamp(max((e.day for e in entries), default=info.updated_fallback)))
    author = sub(feed, "author")
    sub(author, "name", zh.FEED_AUTHOR)
    sub(feed, "link", rel="self", type="application/atom+xml",
        href=_url(site_url, info.path, folder) if site_url else info.path.rsplit("/", 1)[-1])
    sub(feed, "link", rel="alternate", href=_url(site_url, info.home_path, folder))
    sub(feed, "generator", "arena_pipeline")
    # Alternate links carry no type: readers (and feedparser) take an untyped one as the page
    # to open, and a published .md is served as HTML anyway.
    for entry in entries:
        element = sub(feed, "entry")
        sub(element, "id", entry.id)
        sub(element, "title", entry.title)
        sub(element, "updated", _stamp(entry.day))
        sub(element, "published", _stamp(entry.day))
        sub(element, "link", rel="alternate", href=_url(site_url, entry.link, folder))
        sub(element, "category", term=entry.kind, label=zh.FEED_KIND_LABELS[entry.kind])
        sub(element, "summary", entry.text, type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def render_json_feed(info: FeedInfo, entries: Sequence[FeedEntry], site_url: str | None = None) -> str:
    """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    folder = info.path.rsplit("/", 1)[0] if "/" in info.path else ""
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": safe_chars(info.title),
        "home_page_url": _url(site_url, info.home_path, folder),
    }
    if site_url:
        feed["feed_url"] = _url(site_url, info.path, folder)
    feed |= {
        "description": zh.FEED_DESCRIPTION,
        "language": "zh-CN",
        "authors": [{"name": zh.FEED_AUTHOR}],
        "items": [
            {
                "id": entry.id,
                "url": _url(site_url, entry.link, folder),
                "title": safe_chars(entry.title),
                "content_text": safe_chars(entry.text),
                "date_published": _stamp(entry.day),
                "tags": [zh.FEED_KIND_LABELS[entry.kind], zh.ARENA_NAMES.get(entry.arena, entry.arena)],
            }
            for entry in entries
        ],
    }
    text = json.dumps(feed, ensure_ascii=False, indent=2)
    # The same string, but a feed pasted into an HTML page cannot open a tag or an entity there.
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text + "\n"
