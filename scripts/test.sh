#!/usr/bin/env bash
# Install, lint (Python, then SQL with .sqlfluff), then run the whole test suite (pytest
# arguments pass through).
source "$(dirname "$0")/_venv.sh"
ruff check arena_pipeline tests benchmarks
sqlfluff lint sql --disable-progress-bar
python -m pytest -q -rs "$@"  # -rs: each skipped test and why (no PostgreSQL server, say)
