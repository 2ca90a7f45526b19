#!/usr/bin/env bash
# Build the wheel, install it into a clean virtualenv and run a real command from it outside
# the source tree: a four-day backfill from the history beside the project; check rows landed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
releases="$(cd ../shared/arena-history/releases && pwd -P)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-deps -w "$work/dist" .
wheel="$(ls "$work"/dist/arena_pipeline-*.whl)"
echo "wheel: $(basename "$wheel"), $(unzip -l "$wheel" | grep -c '\.sql$') SQL files"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"

export PYTHONUNBUFFERED=1
cd "$work"  # nothing of the source tree is reachable from here
"$work/venv/bin/arena-pipeline" --source "$releases" --dataset-source off backfill --start 2025-08-01 --end 2025-08-04 \
  | grep -v ' - DEBUG - '
"$work/venv/bin/arena-pipeline" sql \
  "select arena, count(distinct snapshot_date) as days, count(*) as entry_rows
   from leaderboard_entries group by arena order by arena"
"$work/venv/bin/python" - <<'PY'
import duckdb

import arena_pipeline

assert "site-packages" in arena_pipeline.__file__, arena_pipeline.__file__
with duckdb.connect("data/arena.duckdb", read_only=True) as conn:
    days, rows = conn.execute(
        "select count(distinct snapshot_date), count(*) from leaderboard_entries").fetchone()
    versions = conn.execute("select count(*) from data_versions").fetchone()[0]
assert days == 4 and rows > 0 and versions > 0, (days, rows, versions)
print(f"wheel test: {arena_pipeline.__file__} loaded 4 days, {rows} rows, {versions} data versions")
PY
