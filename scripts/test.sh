#!/usr/bin/env bash
# Install, then run the whole test suite (pytest arguments pass through).
source "$(dirname "$0")/_venv.sh"
python -m pytest -q "$@"
