"""Parquet files in exactly the schema of LMArena's `lmarena-ai/leaderboard-dataset`, generated.

The real dataset cannot be reached from here. Column names and parquet types follow the files
as published (pyarrow schemas of October 2026): every subset has `model_name, organization,
license: string`, `rating, rating_lower, rating_upper, variance: double`, `category,
leaderboard_publish_date: string`; `vote_count` and `rank` are doubles in `text` (rank `29.0`),
`vote_count` double and `rank` int64 in `text_style_control` / `vision*`, both int64 in `webdev`.

Content, deterministic: several publish dates (one in the 2023 Elo era, with integer ratings and
null bounds and votes), categories (overall, chinese, coding; webdev-html), both style-control
variants (the style-controlled ratings re-scaled by +60 on one date, as upstream did on
2025-05-19), one row without bounds on a later date (`chinese`), a model renamed between two
dates (same votes and rating), a webdev model listed
twice on one board, and a row without a rating (NaN, as upstream has). Bad files beside them.
"""

import datetime as dt
import http.server
import json
import threading
from pathlib import Path

import duckdb

from arena_pipeline.sources.dataset import FILE_LAYOUT

HUB_REPO = "lmarena-ai/leaderboard-dataset"
REVISION = "0123456789abcdef0123456789abcdef01234567"
NEXT_REVISION = "89abcdef0123456789abcdef0123456789abcdef"

TEXT_TYPES = {"vote_count": "double", "rank": "double"}
STYLE_TYPES = {"vote_count": "double", "rank": "bigint"}
WEBDEV_TYPES = {"vote_count": "bigint", "rank": "bigint"}
SUBSET_TYPES = {"text": TEXT_TYPES, "text_style_control": STYLE_TYPES, "vision": STYLE_TYPES,
                "vision_style_control": STYLE_TYPES, "webdev": WEBDEV_TYPES}
COLUMNS = ["model_name", "organization", "license", "rating", "rating_lower", "rating_upper",
           "variance", "vote_count", "rank", "category", "leaderboard_publish_date"]

# (slug, organization, license, base rating, votes on the first Bradley-Terry date)
MODELS = [
    ("gemini-2.5-pro", "google", "Proprietary", 1460.0, 20000),
    ("claude-opus-4-6-thinking", "anthropic", "Proprietary", 1445.0, 9000),
    ("gpt-5-high", "openai", "Proprietary", 1440.0, 15000),
    ("deepseek-r1-0528", "deepseek", "MIT", 1420.0, 12000),
    ("qwen3-235b-a22b", "alibaba", "Apache 2.0", 1400.0, 11000),
    ("glm-4.5", "zai", "MIT", 1395.0, 4000),
    ("kimi-k2", "moonshot", "Modified MIT", 1390.0, 3000),
    ("llama-3.1-405b-instruct-bf16", "meta", "Llama 3.1 Community", 1330.0, 40000),
    ("mistral-medium-2505", "mistral", "Proprietary", 1320.0, 8000),
    ("gemma-3-27b-it", "google", "Gemma", 1310.0, 13000),
    ("legacy-model-13b", "", "Non-commercial", 1100.0, 2000),  # empty organization, as upstream
]
RENAMED = ("claude-opus-4-6-thinking", "claude-opus-4-6-high")
RENAME_FROM = dt.date(2025, 8, 4)  # the new name from this publish date on
ELO_ERA_DATE = dt.date(2023, 12, 20)
TEXT_DATES = [ELO_ERA_DATE, dt.date(2025, 5, 11), dt.date(2025, 5, 19), dt.date(2025, 8, 1),
              dt.date(2025, 8, 4)]
STYLE_DATES = TEXT_DATES[1:]
RESCALE_DATE = dt.date(2025, 5, 19)  # style-controlled ratings sit 60 points lower before it
# One row of a Bradley-Terry date published without bounds (raw text, `chinese` board).
NO_BOUNDS = ("legacy-model-13b", "chinese", dt.date(2025, 8, 1))
CATEGORY_SHIFT = {"overall": 0.0, "chinese": -12.5, "coding": 18.25}


def _ci(index: int) -> float:
    return 4.0 + (index * 7) % 9 + 0.5


def _rows_for(subset: str) -> list[dict]:
    arena = subset.removesuffix("_style_control")
    style_control = subset.endswith("_style_control")
    rows = []
    dates = STYLE_DATES if style_control else TEXT_DATES
    if arena == "vision":
        dates, categories = dates[-2:], ["overall", "chinese"]
    elif arena == "webdev":
        dates, categories = dates[-2:], ["overall", "webdev-html"]
    else:
        categories = list(CATEGORY_SHIFT)
    for date_no, day in enumerate(dates):
        for category in categories:
            if day == ELO_ERA_DATE and category != "overall":
                continue  # only `overall` existed then
            board = []
            for index, (slug, org, license_, base, votes) in enumerate(MODELS):
                if arena == "webdev" and index > 6:
                    continue
                name = RENAMED[1] if slug == RENAMED[0] and day >= RENAME_FROM else slug
                rating = base + CATEGORY_SHIFT.get(category, 7.0) + date_no * 1.75 - (index % 3) * 0.4
                rating += (-9.0 if style_control and index % 2 else 6.0 if style_control else 0.0)
                if style_control and day < RESCALE_DATE:
                    rating -= 60.0
                if arena == "webdev":
                    rating += 250.0
                rating += 0.123456789 * (index + 1)  # unrounded, like upstream
                ci = _ci(index)
                elo_era = day == ELO_ERA_DATE
                no_bounds = elo_era or (not style_control and arena == "text" and (slug, category, day) == NO_BOUNDS)
                board.append({
                    "model_name": name, "organization": org, "license": license_,
                    "rating": float(round(rating - 300)) if elo_era else rating,
                    "rating_lower": None if no_bounds else rating - ci,
                    "rating_upper": None if no_bounds else rating + ci,
                    "variance": None if no_bounds else (ci / 1.96) ** 2,
                    "vote_count": None if elo_era else votes + date_no * 350 + index,
                    "category": category, "leaderboard_publish_date": day.isoformat(),
                })
            board.sort(key=lambda r: -r["rating"])
            for rank, row in enumerate(board, start=1):
                row["rank"] = rank
            if arena == "webdev" and category == "overall" and day == dates[-1]:
                # Upstream lists one name twice on a board with different numbers; the better rank wins.
                rows.append(dict(board[2], rating=board[2]["rating"] - 40.0, rank=len(board) + 1))
            rows.extend(board)
    if subset == "text":
        # Upstream's text/full has rows without a rating or rank (NaN): skipped and counted.
        rows.append({"model_name": "falcon-180b-chat", "organization": "TII", "license": "Falcon-180B TII License",
                     "rating": float("nan"), "rating_lower": None, "rating_upper": None, "variance": None,
                     "vote_count": 5.0, "rank": float("nan"), "category": "korean",
                     "leaderboard_publish_date": TEXT_DATES[-1].isoformat()})
    return rows


def write_parquet(path: Path, rows: list[dict], types: dict[str, str],
                  columns: list[str] | None = None) -> bytes:
    """Rows -> one parquet file with the given column types (string/double unless said)."""
    columns = columns or COLUMNS
    path.parent.mkdir(parents=True, exist_ok=True)
    default = {"rating": "double", "rating_lower": "double", "rating_upper": "double",
               "variance": "double"}
    declared = ", ".join(f'"{c}" {types.get(c, default.get(c, "varchar"))}' for c in columns)
    with duckdb.connect(config={"threads": 1}) as conn:
        conn.execute(f"create table generated ({declared})")
        if rows:
            placeholders = ", ".join("?" for _ in columns)
            conn.executemany(f"insert into generated values ({placeholders})",
                             [[row.get(c) for c in columns] for row in rows])
        conn.execute("copy generated to ? (format parquet)", [str(path)])
    return path.read_bytes()


def subset_path(root: Path, subset: str, split: str = "full") -> Path:
    return root / FILE_LAYOUT.format(subset=subset, split=split)


def write_dataset(root: Path, subsets: tuple[str, ...] = tuple(SUBSET_TYPES),
                  revision: str | None = REVISION, text_overall: list[dict] | None = None) -> dict[str, int]:
    """The good dataset under root (<subset>/full-00000-of-00001.parquet, revision.json).

    text_overall: rows that replace the raw text `overall` board of their publish date(s).
    Returns the number of rows written per subset.
    """
    counts = {}
    for subset in subsets:
        rows = _rows_for(subset)
        if subset == "text" and text_overall:
            replaced = {r["leaderboard_publish_date"] for r in text_overall}
            rows = [r for r in rows if not (r["category"] == "overall" and r["leaderboard_publish_date"] in replaced)]
            rows += text_overall
        write_parquet(subset_path(root, subset), rows, SUBSET_TYPES[subset])
        counts[subset] = len(rows)
    if revision is not None:
        write_revision(root, revision)
    return counts


def write_revision(root: Path, revision: str) -> None:
    (root / "revision.json").write_text(json.dumps({"sha": revision}), encoding="utf-8")


# The bad cases: each returns (rows, types, columns) for one `text` file.
def missing_column() -> tuple[list[dict], dict, list[str]]:
    return _rows_for("text"), TEXT_TYPES, [c for c in COLUMNS if c != "rating_upper"]


def row_without_publish_date() -> tuple[list[dict], dict, list[str]]:
    rows = _rows_for("text")
    rows[6] = dict(rows[6], leaderboard_publish_date=None)
    return rows, TEXT_TYPES, COLUMNS


def unparseable_rank() -> tuple[list[dict], dict, list[str]]:
    """A schema drift: rank published as text, one value not a number."""
    rows = [dict(r, rank=str(r["rank"])) for r in _rows_for("text")[:-1]]
    rows[4] = dict(rows[4], rank="n/a")
    return rows, {**TEXT_TYPES, "rank": "varchar"}, COLUMNS


def fractional_rank() -> tuple[list[dict], dict, list[str]]:
    rows = _rows_for("text")
    rows[3] = dict(rows[3], rank=3.5)
    return rows, TEXT_TYPES, COLUMNS


def unparseable_rating() -> tuple[list[dict], dict, list[str]]:
    rows = [dict(r, rating=repr(r["rating"])) for r in _rows_for("text")[:-1]]
    rows[9] = dict(rows[9], rating="1234,5")
    return rows, {**TEXT_TYPES, "rating": "varchar"}, COLUMNS


BAD_FILES = {
    "missing_column": missing_column,
    "row_without_publish_date": row_without_publish_date,
    "unparseable_rank": unparseable_rank,
    "fractional_rank": fractional_rank,
    "unparseable_rating": unparseable_rating,
}


def rows_of(subset: str) -> list[dict]:
    return _rows_for(subset)


def board_from_csv(csv_bytes: bytes, day: dt.date, rename: dict[str, str], shift: dict[str, float]) -> list[dict]:
    """A raw text `overall` board as the dataset would publish the same leaderboard as a v3 CSV:
    slug names (lowercase), unrounded ratings (the CSV truncates), float ranks. rename maps a CSV
    name to a different slug; shift adds points to one model's rating (a disagreement)."""
    import csv
    import io

    rows, seen = [], set()
    for record in csv.DictReader(io.StringIO(csv_bytes.decode("utf-8"))):
        if record["model"] in seen:
            continue
        seen.add(record["model"])
        plus, minus = (float(x) for x in record["95_pct_ci"].lstrip("+").split("/-"))
        rating = float(record["arena_score"]) + 0.42 + shift.get(record["model"], 0.0)
        rows.append({
            "model_name": rename.get(record["model"], record["model"].lower()),
            "organization": record["organization"].lower(), "license": record["license"],
            "rating": rating, "rating_lower": rating - minus, "rating_upper": rating + plus,
            "variance": (plus / 1.96) ** 2, "vote_count": float(record["votes"].replace(",", "")),
            "rank": float(len(rows) + 1), "category": "overall", "leaderboard_publish_date": day.isoformat(),
        })
    return rows


class RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder and records every path asked for (to count requests)."""

    seen: list[str] = []

    def do_GET(self):
        type(self).seen.append(self.path)
        prefix = f"/api/datasets/{HUB_REPO}/tree/"
        if self.path.startswith(prefix):
            self._send_tree(self.path[len(prefix):].split("?")[0])
            return
        super().do_GET()

    def _send_tree(self, revision: str) -> None:
        """The Hub's tree of one revision: every file with its sha256 as `lfs.oid`."""
        import hashlib

        folder = Path(self.directory) / "datasets" / HUB_REPO / "resolve" / revision
        if not folder.is_dir():
            self.send_error(404)
            return
        entries = [{"type": "file", "path": path.relative_to(folder).as_posix(), "size": path.stat().st_size,
                    "lfs": {"oid": hashlib.sha256(path.read_bytes()).hexdigest(), "size": path.stat().st_size}}
                   for path in sorted(folder.rglob("*.parquet"))]
        body = json.dumps(entries).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class DatasetServer:
    """A real HTTP server on 127.0.0.1 laid out like the Hub: an API answer and resolve/<sha>/..."""

    def __init__(self, root: Path):
        self.root = root
        RecordingHandler.seen = []
        handler = lambda *a, **kw: RecordingHandler(*a, directory=str(root), **kw)  # noqa: E731
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.hub_base = f"{self.url}/datasets/{HUB_REPO}/resolve/main"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    @property
    def requests(self) -> list[str]:
        return RecordingHandler.seen

    def publish_hub(self, revision: str, **kwargs) -> Path:
        """The generated dataset at resolve/<revision>/ and the API naming that revision."""
        folder = self.root / "datasets" / HUB_REPO / "resolve" / revision
        write_dataset(folder, revision=None, **kwargs)
        api = self.root / "api" / "datasets" / HUB_REPO
        api.parent.mkdir(parents=True, exist_ok=True)
        api.write_text(json.dumps({"id": HUB_REPO, "sha": revision, "lastModified": "2025-08-05T03:02:49.000Z"}))
        return folder


FULL_CATEGORIES = [
    "overall", "english", "chinese", "coding", "math", "hard_prompts", "hard_prompts_english",
    "longer_query", "multi_turn", "instruction_following", "creative_writing", "exclude_ties",
    "french", "german", "japanese", "korean", "russian", "spanish", "expert", "non_english", "polish",
    "industry_software_and_it_services", "industry_mathematical", "industry_legal_and_government",
    "industry_medicine_and_healthcare", "industry_business_and_management_and_financial_operations",
    "industry_life_and_physical_and_social_science", "industry_writing_and_literature_and_language",
    "industry_entertainment_and_sports_and_media",
]


def write_text_full(path: Path, style_control: bool = False, dates: int = 247, models: int = 434) -> int:
    """A `text/full`-sized file (~1.1 M rows, like October 2026's 1.17 M): `dates` publish dates
    from 2023-05-08 every 5 days, boards growing from 30 to 420 models, categories appearing one
    after another (overall first), the first dozen dates in the Elo era (integer ratings, null
    bounds and votes). Types as published: rank and vote_count double in `text`, rank int64 in
    `text_style_control`. Deterministic. Returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rank_type = "bigint" if style_control else "double"
    offset = -9.0 if style_control else 0.0
    categories = ", ".join(f"('{c}', {i})" for i, c in enumerate(FULL_CATEGORIES))
    with duckdb.connect(config={"threads": 2}) as conn:
        conn.execute(f"""
            copy (
                with publish as (
                    select d, date '2023-05-08' + cast(d * 5 as integer) as day,
                           30 + (d * 390) // ({dates} - 1) as board_size
                    from range({dates}) as t(d)
                ),
                categories(category, c) as (values {categories}),
                boards as (
                    select p.*, category, c from publish as p, categories
                    where c = 0 or d >= 12 + c * 7
                ),
                entries as (
                    select b.d, b.day, b.category, b.c, m as model_no,
                           1500.0 - m * 1.6 + b.d * 0.9 + b.c * 2.5 + {offset}
                               + ((m * 7919 + b.d * 104729 + b.c * 1299709) % 1000) / 100.0 as rating,
                           4.0 + ((m * 31 + b.c) % 12) as ci
                    from boards as b, range({models}) as r(m)
                    where m < b.board_size
                )
                select
                    'model-' || lpad(cast(model_no as varchar), 3, '0') as model_name,
                    'org-' || cast(model_no % 37 as varchar) as organization,
                    case when model_no % 3 = 0 then 'Proprietary' else 'Apache 2.0' end as license,
                    case when d < 12 then round(rating) else rating end as rating,
                    case when d >= 12 then rating - ci end as rating_lower,
                    case when d >= 12 then rating + ci end as rating_upper,
                    case when d >= 12 then (ci / 1.96) ^ 2 end as variance,
                    case when d >= 12 then cast(1000 + model_no * 13 + d * 40 as double) end as vote_count,
                    cast(row_number() over (partition by day, category order by rating desc, model_no)
                         as {rank_type}) as rank,
                    category,
                    strftime(day, '%Y-%m-%d') as leaderboard_publish_date
                from entries
                order by c, day, rank
            ) to '{path}' (format parquet)
        """)
        return conn.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]


def write_text_history(path: Path, style_control: bool = False, dates: int = 178) -> int:
    """A `text/full`-sized file with the churn of the real one (~1.09 M rows at 178 dates):
    publish dates every 5 days from 2023-05-08, 29 categories appearing one after another
    (overall first; each leaves out some models), ~150 models at first and two arriving per date,
    most of them leaving again after 2-7 months, a model missing from one date and listed again
    on the next now and then, one model in twenty renamed ten dates after it arrived (same
    organization, votes and ratings: `model-NNN-preview` -> `model-NNN`), the first 12 dates in
    the Elo era (integer ratings, no bounds, no votes). A date's rows do not depend on `dates`:
    the file of dates + 1 is this file with one more publish date appended. Types as published.
    Deterministic. Returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rank_type = "bigint" if style_control else "double"
    offset = -9.0 if style_control else 0.0
    noise = 7 if style_control else 0
    categories = ", ".join(f"('{c}', {i})" for i, c in enumerate(FULL_CATEGORIES))
    pool = 150 + 2 * dates
    with duckdb.connect(config={"threads": 2}) as conn:
        conn.execute("set enable_progress_bar = false")
        conn.execute(f"""
            copy (
                with models as (
                    select m,
                           case when m < 150 then 0 else (m - 150) // 2 + 1 end as arrival,
                           case when m % 4 = 0 then 1000000
                                when m < 150 then 30 + (m * 53) % 200
                                else (m - 150) // 2 + 1 + 40 + (m * 37) % 140 end as departure
                    from range({pool}) as t(m)
                ),
                publish as (
                    select d, date '2023-05-08' + cast(d * 5 as integer) as day from range({dates}) as t(d)
                ),
                categories(category, c) as (values {categories}),
                entries as (
                    select p.d, p.day, k.category, k.c, m.m, m.arrival,
                           1200.0 + (m.m * 7919) % 300 + p.d * 0.4 + k.c * 2.5 + {offset}
                               + ((m.m * 7919 + p.d * 104729 + k.c * 1299709 + {noise}) % 1000) / 100.0
                               as rating,
                           4.0 + ((m.m * 31 + k.c) % 12) as ci
                    from publish as p, categories as k, models as m
                    where (k.c = 0 or p.d >= 12 + k.c * 2)
                      and m.arrival <= p.d and p.d < m.departure
                      and (k.c = 0 or (m.m * 13 + k.c) % 17 <> 0)
                      and (m.m * 7 + p.d) % 97 <> 0
                )
                select
                    'model-' || lpad(cast(m as varchar), 3, '0')
                        || case when m % 20 = 3 and d < arrival + 10 then '-preview' else '' end as model_name,
                    'org-' || cast(m % 37 as varchar) as organization,
                    case when m % 3 = 0 then 'Proprietary' else 'Apache 2.0' end as license,
                    case when d < 12 then round(rating) else rating end as rating,
                    case when d >= 12 then rating - ci end as rating_lower,
                    case when d >= 12 then rating + ci end as rating_upper,
                    case when d >= 12 then (ci / 1.96) ^ 2 end as variance,
                    case when d >= 12 then cast(1000 + m * 3 + (d - arrival) * 40 as double) end as vote_count,
                    cast(row_number() over (partition by day, category order by rating desc, m)
                         as {rank_type}) as rank,
                    category,
                    strftime(day, '%Y-%m-%d') as leaderboard_publish_date
                from entries
                order by c, day, rank
            ) to '{path}' (format parquet)
        """)
        return conn.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
