"""Parsing of every real header variant, the duplicate rule, and clear errors on bad files."""

import csv
import io

import pytest

from arena_pipeline.ingest.normalize import ParseError, derive_rank_ub, parse_release
from tests.conftest import HISTORY, RELEASES, release_file


def test_v0_pre_release_uses_arena_elo_as_score():
    parsed = parse_release((HISTORY / "pre-release" / "2024-06-19_lmsys.csv").read_bytes(),
                           "lmsys.csv")
    assert parsed.schema_version == "v0"
    first = parsed.entries[0]
    assert (first.model, first.score, first.votes, first.rank_ub) == (
        "GPT-4o-2024-05-13", 1287.0, 42046, 1)
    assert len(parsed.entries) == 109


def test_v1_first_row_of_the_first_release():
    parsed = parse_release(release_file("2024.07.07", "lmsys.csv"), "lmsys.csv")
    assert parsed.schema_version == "v1"
    first = parsed.entries[0]
    assert first.model == "GPT-4o-2024-05-13"
    assert (first.rank_ub, first.rank_stylectrl, first.position) == (1, None, 1)
    assert (first.score, first.ci_plus, first.ci_minus, first.votes) == (1287.0, 4, 3, 55826)
    assert (first.organization, first.license, first.knowledge_cutoff) == (
        "OpenAI", "Proprietary", "2023/10")
    # Ties in the published UB rank are kept as published.
    assert [e.rank_ub for e in parsed.entries[:4]] == [1, 2, 2, 3]
    online = next(e for e in parsed.entries if e.model == "Gemini-Advanced-0514")
    assert online.knowledge_cutoff == "Online"


def test_v2_adds_style_control_rank_and_unknown_cutoff_is_null():
    parsed = parse_release(release_file("2024.10.16", "lmsys.csv"), "lmsys.csv")
    assert parsed.schema_version == "v2"
    first = parsed.entries[0]
    assert (first.model, first.rank_ub, first.rank_stylectrl) == (
        "ChatGPT-4o-latest (2024-09-03)", 1, 1)
    raw_unknown = release_file("2024.10.16", "lmsys.csv").decode().count(",Unknown,")
    assert raw_unknown > 0
    assert sum(e.knowledge_cutoff is None for e in parsed.entries) == raw_unknown


def test_v3_rank_ub_is_the_published_final_ranking_and_no_stylectrl_rank():
    content = release_file("2025.07.27", "lmarena_text.csv")
    parsed = parse_release(content, "lmarena_text.csv")
    assert parsed.schema_version == "v3"
    assert [e.position for e in parsed.entries[:3]] == [1, 2, 3]
    # v3 leaves knowledge_cutoff empty where v2 said Unknown: both are null.
    assert parsed.entries[0].knowledge_cutoff is None
    # rank_ub is the column the upstream named rank_stylectrl, row for row (first row of a name wins).
    published = {}
    for row in csv.DictReader(io.StringIO(content.decode())):
        published.setdefault(row["model"], int(row["rank_stylectrl"]))
    assert {e.model: e.rank_ub for e in parsed.entries} == published
    assert all(e.rank_stylectrl is None for e in parsed.entries)
    # The derived upper bound is only a cross-check: on v3 it disagrees on some rows.
    derived = derive_rank_ub(parsed.entries)
    disagree = sum(d.rank_ub != e.rank_ub for d, e in zip(derived, parsed.entries, strict=True))
    assert 0 < disagree < len(parsed.entries) / 2


def test_identical_duplicate_row_is_loaded_once():
    parsed = parse_release(release_file("2025.07.27", "lmarena_text.csv"), "lmarena_text.csv")
    assert [e.model for e in parsed.entries].count("Yi-34B-Chat") == 1
    assert [(d.model, d.line, d.identical) for d in parsed.duplicates] == [
        ("Yi-34B-Chat", 196, True)]
    assert len(parsed.entries) == 259


def test_conflicting_duplicate_keeps_the_first_row():
    parsed = parse_release(release_file("2025.07.27", "lmarena_image.csv"), "lmarena_image.csv")
    imagen = [e for e in parsed.entries if e.model == "Imagen-4.0-ultra-generate-preview-06-06"]
    assert [(e.score, e.votes, e.position) for e in imagen] == [(1138.0, 11897, 1)]
    assert [(d.line, d.identical) for d in parsed.duplicates] == [(5, False)]


def test_every_real_file_parses_with_a_known_schema():
    versions = {}
    for path in sorted(RELEASES.glob("*/*.csv")):
        parsed = parse_release(path.read_bytes(), path.name)
        versions[parsed.schema_version] = versions.get(parsed.schema_version, 0) + 1
        assert len({e.model for e in parsed.entries}) == len(parsed.entries)
    assert versions == {"v1": 100, "v2": 282, "v3": 114}


def test_rank_ub_derivation_agrees_with_published_v1_v2_ranks():
    """The figure quoted in the README: measured on each distinct v1/v2 data version."""
    seen, total, exact, within_one = set(), 0, 0, 0
    for path in sorted(RELEASES.glob("*/lmsys.csv")):
        parsed = parse_release(path.read_bytes(), path.name)
        if parsed.data_hash in seen:
            continue
        seen.add(parsed.data_hash)
        for published, derived in zip(parsed.entries, derive_rank_ub(parsed.entries), strict=True):
            total += 1
            exact += published.rank_ub == derived.rank_ub
            within_one += abs(published.rank_ub - derived.rank_ub) <= 1
    assert total == 14855
    assert exact / total == pytest.approx(0.807, abs=0.001)
    assert within_one / total == pytest.approx(0.973, abs=0.001)


HEADER = b"rank,model,arena_score,95_pct_ci,votes,organization,license,knowledge_cutoff,url\n"
GOOD = b"1,Model-A,1300,+5/-4,1000,Org,MIT,2024/1,https://a.example\n"


@pytest.mark.parametrize(
    ("content", "line", "column", "value", "problem"),
    [
        (b"", 1, "(file)", "", "file is empty"),
        (b"<!DOCTYPE html>\n<html><body>Not Found</body></html>\n", 1, "(file)",
         "<!DOCTYPE html>", "HTML page"),
        (HEADER + GOOD + b"2,Model-B,12", 3, "(end of file)", "2,Model-B,12", "truncated"),
        (HEADER + GOOD + b"2,Model-B,1290,+4/-4\n", 3, "votes", "2,Model-B,1290,+4/-4",
         "4 fields"),
        (HEADER.replace(b"votes", b"battles") + GOOD, 1, "battles",
         HEADER.replace(b"votes", b"battles").decode().strip(), "unknown header"),
        (HEADER + GOOD.replace(b"1000", b"n/a"), 2, "votes", "n/a", "whole number"),
        (HEADER + GOOD.replace(b"1300", b"abc"), 2, "arena_score", "abc", "not a number"),
        (HEADER + GOOD.replace(b"+5/-4", b"5-4"), 2, "95_pct_ci", "5-4", "confidence interval"),
        (HEADER + GOOD.replace(b"1,Model-A", b"0,Model-A"), 2, "rank", "0", "1 or more"),
        (HEADER, 2, "(file)", "", "no data rows"),
        (HEADER + b"1,Caf\xe9,1300,+5/-4,1000,Org,MIT,,\n", 2, "model", "b'Caf\\xe9'",
         "UTF-8"),
        # Plausibility: well-formed values no real leaderboard publishes.
        (HEADER + GOOD.replace(b"1000", b'"999,999,999,999,999"'), 2, "votes",
         "999,999,999,999,999", "implausible vote count: more than 100,000,000"),
        (HEADER + GOOD + GOOD.replace(b"1,Model-A", b"5,Model-B"), 3, "rank", "5",
         "implausible rank: above 4, twice the 2 rows of the file"),
        (HEADER + GOOD.replace(b"+5/-4", b"+5/-1301"), 2, "95_pct_ci", "+5/-1301",
         "implausible confidence interval: wider than the score"),
        (HEADER + GOOD.replace(b"1300", b"1e9"), 2, "arena_score", "1e9",
         "implausible score: outside 0 .. 100,000"),
        (HEADER + GOOD.replace(b"1300", b"-5"), 2, "arena_score", "-5", "implausible score"),
    ],
)
def test_bad_files_are_rejected_naming_file_line_column_and_value(
        content, line, column, value, problem):
    with pytest.raises(ParseError) as error:
        parse_release(content, "lmsys.csv")
    assert (error.value.file_name, error.value.line, error.value.column, error.value.value) == (
        "lmsys.csv", line, column, value)
    assert problem in str(error.value)
    assert "lmsys.csv, line" in str(error.value)


def test_votes_with_thousands_separator_are_accepted():
    content = HEADER + b'1,Model-A,1300,+5/-4,"15,769",Org,MIT,Unknown,\n'
    entry = parse_release(content, "lmsys.csv").entries[0]
    assert (entry.votes, entry.knowledge_cutoff, entry.url) == (15769, None, None)


def test_a_per_arena_file_must_have_the_v3_header():
    """lmarena_* files publish `rank` as a row position: read with an older header, positions
    would pass for published ranks. The name and the header decide together."""
    with pytest.raises(ParseError) as error:
        parse_release(HEADER + GOOD, "lmarena_text.csv")
    assert (error.value.line, error.value.column) == (1, "(header)")
    assert "a lmarena_* file must have the v3 header" in str(error.value)
    assert "this is the v1 header" in str(error.value)
    v2_header = release_file("2024.10.16", "lmsys.csv")
    assert parse_release(v2_header, "lmarena_text.csv").schema_version == "v3"
    assert parse_release(v2_header, "lmsys.csv").schema_version == "v2"


def test_a_rank_a_little_above_the_row_count_is_real():
    """The upstream ranks against its own table: the vision file of 2025-07-27 lists 86 models
    and a rank_stylectrl of 87, so the bound is twice the rows, not the rows."""
    content = release_file("2025.07.27", "lmarena_vision.csv")
    parsed = parse_release(content, "lmarena_vision.csv")
    assert len(parsed.entries) + len(parsed.duplicates) == 86
    published = [row["rank_stylectrl"] for row in csv.DictReader(io.StringIO(content.decode()))]
    assert max(int(rank) for rank in published) == 87
