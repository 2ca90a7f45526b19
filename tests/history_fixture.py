"""Load the real upstream history (../shared/arena-history) into `snapshots` and
`leaderboard_entries`, for the analytics tests.

A stand-in for the ingestion (arena_pipeline.ingest) so the analytics can be tested on the real
data independently; it follows the same normalization rules, stated in the issue and the
arena-history README:
- lmsys.csv and lmarena_text.csv are the text arena; lmarena_<arena>.csv the others;
- v1/v2: `rank` is the rank upper bound; v3 (lmarena_*.csv): `rank` is only the row position and
  rank_ub = 1 + number of models whose score - ci_minus > this score + ci_plus;
- a model listed twice in one file keeps its first row;
- knowledge_cutoff `Unknown` or empty is NULL.
"""

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from arena_pipeline.warehouse import run_sql

HISTORY_DIR = Path(__file__).resolve().parents[2] / "shared" / "arena-history" / "releases"

ENTRY_COLUMNS = [
    "arena", "snapshot_date", "model", "rank_ub", "rank_stylectrl", "position", "score",
    "ci_plus", "ci_minus", "votes", "organization", "license", "knowledge_cutoff", "url",
]


def arena_of(file_name: str) -> str:
    if file_name in ("lmsys.csv", "lmarena_text.csv"):
        return "text"
    return file_name.removeprefix("lmarena_").removesuffix(".csv")


def schema_of(file_name: str, header: list[str]) -> str:
    if file_name.startswith("lmarena_"):
        return "v3"
    if "rank_stylectrl" in header:
        return "v2"
    return "v1" if "arena_score" in header else "v0"


def parse_file(path: Path, snapshot_date: date) -> tuple[dict, list[dict]]:
    """(snapshot row, entry rows) of one release file."""
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    schema = schema_of(path.name, reader.fieldnames)
    arena = arena_of(path.name)
    entries, seen, duplicates = [], set(), 0
    for position, row in enumerate(reader, start=1):
        if row["model"] in seen:
            duplicates += 1
            continue
        seen.add(row["model"])
        ci_plus, ci_minus = row["95_pct_ci"].split("/")
        cutoff = row["knowledge_cutoff"].strip()
        entries.append({
            "arena": arena,
            "snapshot_date": snapshot_date,
            "model": row["model"],
            "rank_ub": int(row["rank"]),
            "rank_stylectrl": int(row["rank_stylectrl"]) if row.get("rank_stylectrl") else None,
            "position": position,
            "score": float(row.get("arena_score") or row["arena_elo"]),
            "ci_plus": int(ci_plus.lstrip("+")),
            "ci_minus": int(ci_minus.lstrip("-")),
            "votes": int(row["votes"].replace(",", "")),
            "organization": row["organization"] or None,
            "license": row["license"] or None,
            "knowledge_cutoff": None if cutoff in ("", "Unknown") else cutoff,
            "url": row["url"] or None,
        })
    if schema == "v3":
        for entry in entries:
            upper = entry["score"] + entry["ci_plus"]
            entry["rank_ub"] = 1 + sum(1 for e in entries if e["score"] - e["ci_minus"] > upper)
    # Hash of the normalized rows without the row position, so a reordering is not a new version.
    canonical = sorted(
        tuple(e[c] for c in ENTRY_COLUMNS if c not in ("snapshot_date", "position")) for e in entries
    )
    snapshot = {
        "arena": arena,
        "snapshot_date": snapshot_date,
        "file_name": path.name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "schema_version": schema,
        "row_count": len(entries),
        "duplicate_rows": duplicates,
        "data_hash": hashlib.sha256(repr(canonical).encode("utf-8")).hexdigest(),
    }
    return snapshot, entries


def load_history(conn: duckdb.DuckDBPyConnection, releases_dir: Path = HISTORY_DIR) -> None:
    """Create the two input tables and fill them with every release under releases_dir."""
    run_sql(conn, "create_snapshots")
    run_sql(conn, "create_leaderboard_entries")
    snapshots, entries = [], []
    for day_dir in sorted(p for p in releases_dir.iterdir() if p.is_dir()):
        snapshot_date = date(*map(int, day_dir.name.split(".")))
        for path in sorted(day_dir.glob("*.csv")):
            snapshot, rows = parse_file(path, snapshot_date)
            snapshots.append(snapshot)
            entries.extend(rows)
    previous_hash: dict[str, str] = {}
    for snapshot in snapshots:  # already in date order
        snapshot["same_as_previous"] = previous_hash.get(snapshot["arena"]) == snapshot["data_hash"]
        previous_hash[snapshot["arena"]] = snapshot["data_hash"]
    insert_frame(conn, "snapshots", pd.DataFrame(snapshots))
    insert_frame(conn, "leaderboard_entries", pd.DataFrame(entries, columns=ENTRY_COLUMNS))


def insert_frame(conn: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert a DataFrame by column name (one bulk statement instead of ~80k executes)."""
    conn.register("frame_to_insert", frame)
    columns = ", ".join(frame.columns)
    # Table and column names come from this module, never from data.
    conn.execute(f"insert into {table} ({columns}) select {columns} from frame_to_insert")
    conn.unregister("frame_to_insert")
