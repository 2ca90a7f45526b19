#!/usr/bin/env bash
# Install, then backfill the whole history and refresh analytics and reports.
# Extra arguments go to `arena-pipeline backfill` (e.g. --start 2025-08-01).
source "$(dirname "$0")/_venv.sh"
arena-pipeline backfill "$@"
