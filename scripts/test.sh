#!/usr/bin/env bash
# Install, lint, then run the whole test suite (pytest arguments pass through).
source "$(dirname "$0")/_venv.sh"
ruff check arena_pipeline tests benchmarks
python -m pytest -q "$@"
