"""CSV bytes of one release file -> canonical leaderboard rows, for every schema variant.

Pure: no Dagster, no DuckDB. Every rejection raises `ParseError` naming the file, the line
(1 = header), the column and the offending value.

Schema variants (see README "Schema variants"):
  v0  rank,model,arena_elo,95_pct_ci,votes,organization,license,knowledge_cutoff,url
  v1  rank,model,arena_score,95_pct_ci,...                       (2024-07-07 .. 2024-10-08)
  v2  rank,rank_stylectrl,model,arena_score,95_pct_ci,...        (2024-10-16 .. 2025-07-26)
  v3  the v2 header in lmarena_*.csv files (2025-07-27 on), with other meanings: `rank` is only
      the row position and `rank_stylectrl` holds the leaderboard's final ranking computed
      without style control, i.e. the rank upper bound. No style-controlled rank is published.
"""

import bisect
import csv
import hashlib
import io
import json
import re
from dataclasses import astuple, dataclass, fields, replace
from functools import cached_property

HEADERS = {
    "v0": ["rank", "model", "arena_elo", "95_pct_ci", "votes", "organization", "license",
           "knowledge_cutoff", "url"],
    "v1": ["rank", "model", "arena_score", "95_pct_ci", "votes", "organization", "license",
           "knowledge_cutoff", "url"],
    "v2": ["rank", "rank_stylectrl", "model", "arena_score", "95_pct_ci", "votes",
           "organization", "license", "knowledge_cutoff", "url"],
}
# The per-arena files replaced lmsys.csv and changed what `rank` means: a file's name and its
# header together decide the variant (a lmarena_* file with an older header is rejected).
POSITION_RANK_FILE_PREFIX = "lmarena_"
UNKNOWN_CUTOFFS = {"", "unknown"}

# Plausibility: values no real leaderboard publishes, whatever their syntax. They also keep every
# value inside its DuckDB column (integer ranks and CIs, bigint votes).
MAX_VOTES = 100_000_000  # votes of one model; the whole arena has collected a few million
MAX_SCORE = 100_000.0  # ratings on an Elo-like scale live in the hundreds to low thousands
# A published rank counts models of the upstream's own table, which can list a few models the
# file leaves out, so a rank may pass the row count a little; twice the rows is corruption.
MAX_RANK_PER_ROW = 2

_CI = re.compile(r"^\+(\d+)/-(\d+)$")
_INT = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")  # votes may carry a thousands separator


class ParseError(ValueError):
    def __init__(self, file_name: str, line: int, column: str, value: str, problem: str):
        self.file_name, self.line, self.column, self.value = file_name, line, column, value
        shown = value if len(value) <= 80 else value[:77] + "..."
        super().__init__(f"{file_name}, line {line}, column {column!r}: {problem} (value {shown!r})")


@dataclass(frozen=True)
class Entry:
    model: str
    rank_ub: int
    rank_stylectrl: int | None
    position: int
    score: float
    ci_plus: int
    ci_minus: int
    votes: int
    organization: str | None
    license: str | None
    knowledge_cutoff: str | None
    url: str | None


ENTRY_COLUMNS = [f.name for f in fields(Entry)]


@dataclass(frozen=True)
class DuplicateRow:
    line: int
    model: str
    identical: bool  # same values as the kept row, apart from its position


@dataclass(frozen=True)
class ParsedFile:
    file_name: str
    schema_version: str
    entries: list[Entry]
    duplicates: list[DuplicateRow]

    @cached_property
    def data_hash(self) -> str:
        """Hash of the normalized rows: equal for two releases that publish the same data."""
        # The same JSON as of dataclasses.astuple, built without its deep copies (10x faster).
        payload = json.dumps([tuple(vars(e).values()) for e in self.entries], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


def detect_schema(file_name: str, header: list[str]) -> str | None:
    """The variant from the header, then checked against the file name: lmarena_* files carry
    the v3 layout (the v2 header, `rank` a row position), lmsys.csv one of v0-v2."""
    for version, expected in HEADERS.items():
        if header == expected:
            if file_name.startswith(POSITION_RANK_FILE_PREFIX):
                return "v3" if version == "v2" else None
            return version
    return None


def parse_release(content: bytes, file_name: str) -> ParsedFile:
    """Parse one release file. Duplicate rule: the first row of a model name wins."""
    text = _decode(content, file_name)
    if not text.strip():
        raise ParseError(file_name, 1, "(file)", "", "file is empty")
    if text.lstrip().startswith("<"):
        first_line = text.lstrip().splitlines()[0]
        raise ParseError(file_name, 1, "(file)", first_line, "an HTML page, not a CSV file")
    if not text.endswith("\n"):
        last_line = text.rsplit("\n", 1)[-1]
        line_no = text.count("\n") + 1
        raise ParseError(file_name, line_no, "(end of file)", last_line,
                         "file is truncated: its last line has no line break")

    rows = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(rows)]
    schema = detect_schema(file_name, header)
    if schema is None:
        raise _header_error(file_name, header)
    published_ranks: list[tuple[int, str, str]] = []  # line, column, value (checked numbers)

    entries: list[Entry] = []
    duplicates: list[DuplicateRow] = []
    kept: dict[str, Entry] = {}
    for index, values in enumerate(rows, start=1):
        line = index + 1
        if not values:  # csv gives [] for a blank line
            continue
        if len(values) != len(header):
            missing = header[len(values)] if len(values) < len(header) else "(extra field)"
            raise ParseError(file_name, line, missing, ",".join(values),
                             f"row has {len(values)} fields, the header has {len(header)}")
        row = dict(zip(header, values, strict=True))
        entry = _parse_row(file_name, line, row, schema, index)
        published_ranks.extend((line, column, row[column]) for column in ("rank", "rank_stylectrl")
                               if column in row)
        if entry.model in kept:
            same = _without_position(kept[entry.model]) == _without_position(entry)
            duplicates.append(DuplicateRow(line, entry.model, same))
            continue
        kept[entry.model] = entry
        entries.append(entry)
    if not entries:
        raise ParseError(file_name, 2, "(file)", "", "no data rows after the header")
    _check_ranks(file_name, published_ranks, rows=len(entries) + len(duplicates))
    return ParsedFile(file_name, schema, entries, duplicates)


def derive_rank_ub(entries: list[Entry]) -> list[Entry]:
    """rank_ub = 1 + number of models whose lower CI bound lies above this model's upper bound.

    That is the upstream's published definition of the rank upper bound. It works on rounded
    (v3: truncated) scores and CIs, so it can differ from the published figure by a place or
    more when bounds touch: a cross-check of the published rank, never a substitute for it.
    """
    bounds = rank_upper_bounds([(e.score, e.ci_plus, e.ci_minus) for e in entries])
    return [replace(e, rank_ub=rank_ub) for e, rank_ub in zip(entries, bounds, strict=True)]


def rank_upper_bounds(scored: list[tuple[float, float, float]]) -> list[int]:
    """derive_rank_ub on (score, ci_plus, ci_minus) triples of one leaderboard, as plain ints
    (what the asset check needs for every row of the history, without building entries)."""
    lower_bounds = sorted(score - minus for score, _, minus in scored)
    return [1 + len(lower_bounds) - bisect.bisect_right(lower_bounds, score + plus)
            for score, plus, _ in scored]


def _plausible_votes(file_name: str, line: int, value: str, votes: int) -> int:
    if votes > MAX_VOTES:
        raise ParseError(file_name, line, "votes", value,
                         f"implausible vote count: more than {MAX_VOTES:,}")
    return votes


def _without_position(entry: Entry) -> tuple:
    return astuple(replace(entry, position=0, rank_ub=0))


def _decode(content: bytes, file_name: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = content.rfind(b"\n", 0, exc.start) + 1
        line_end = content.find(b"\n", exc.start)
        line_bytes = content[line_start : None if line_end < 0 else line_end]
        field_index = content[line_start : exc.start].count(b",")
        header = content.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
        column = header[field_index] if field_index < len(header) else f"field {field_index + 1}"
        bad_field = line_bytes.split(b",")[field_index] if line_start else line_bytes
        line = content[:line_start].count(b"\n") + 1
        raise ParseError(file_name, line, column, repr(bad_field), "not valid UTF-8") from exc


def _header_error(file_name: str, header: list[str]) -> ParseError:
    known = {column for columns in HEADERS.values() for column in columns}
    unknown = [h for h in header if h not in known]
    column = unknown[0] if unknown else "(column order)"
    older = next((version for version, expected in HEADERS.items() if header == expected), None)
    if older:  # a known header in a file whose name promises another variant
        return ParseError(file_name, 1, "(header)", ",".join(header),
                          f"a {POSITION_RANK_FILE_PREFIX}* file must have the v3 header "
                          f"({','.join(HEADERS['v2'])}), this is the {older} header")
    return ParseError(file_name, 1, column, ",".join(header),
                      "unknown header: matches none of the schema variants v0-v3")


def _check_ranks(file_name: str, ranks: list[tuple[int, str, str]], rows: int) -> None:
    limit = MAX_RANK_PER_ROW * rows
    for line, column, value in ranks:
        if int(value.strip().replace(",", "")) > limit:
            raise ParseError(file_name, line, column, value,
                             f"implausible rank: above {limit}, twice the {rows} rows of the file")


def _parse_row(file_name: str, line: int, row: dict[str, str], schema: str, index: int) -> Entry:
    def number(column: str, pattern=_INT) -> int:
        value = row[column].strip()
        if not pattern.match(value):
            raise ParseError(file_name, line, column, row[column], "not a whole number")
        number = int(value.replace(",", ""))
        if column.startswith("rank") and number < 1:
            raise ParseError(file_name, line, column, row[column], "a rank must be 1 or more")
        return number

    score_column = "arena_elo" if schema == "v0" else "arena_score"
    try:
        score = float(row[score_column].strip())
    except ValueError:
        raise ParseError(file_name, line, score_column, row[score_column], "not a number") from None
    if score != score or score in (float("inf"), float("-inf")):
        raise ParseError(file_name, line, score_column, row[score_column], "not a finite number")
    if not 0 < score < MAX_SCORE:
        raise ParseError(file_name, line, score_column, row[score_column],
                         f"implausible score: outside 0 .. {MAX_SCORE:,.0f}")

    ci = _CI.match(row["95_pct_ci"].strip())
    if not ci:
        raise ParseError(file_name, line, "95_pct_ci", row["95_pct_ci"],
                         "expected a confidence interval like +5/-4")
    if max(int(ci.group(1)), int(ci.group(2))) > score:
        raise ParseError(file_name, line, "95_pct_ci", row["95_pct_ci"],
                         "implausible confidence interval: wider than the score")
    model = row["model"].strip()
    if not model:
        raise ParseError(file_name, line, "model", row["model"], "model name is empty")

    published_rank = number("rank")
    stylectrl_column = number("rank_stylectrl") if "rank_stylectrl" in row else None
    cutoff = row["knowledge_cutoff"].strip()
    return Entry(
        model=model,
        # v3 moved the rank upper bound into the column named rank_stylectrl, and `rank` became
        # the row position; there is no style-controlled rank in v3 at all.
        rank_ub=stylectrl_column if schema == "v3" else published_rank,
        rank_stylectrl=None if schema == "v3" else stylectrl_column,
        position=published_rank if schema == "v3" else index,
        score=score,
        ci_plus=int(ci.group(1)),
        ci_minus=int(ci.group(2)),
        votes=_plausible_votes(file_name, line, row["votes"], number("votes")),
        organization=row["organization"].strip() or None,
        license=row["license"].strip() or None,
        knowledge_cutoff=None if cutoff.lower() in UNKNOWN_CUTOFFS else cutoff,
        url=row["url"].strip() or None,
    )
