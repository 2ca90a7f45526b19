# Sourced by run.sh and test.sh: create .venv once and install the project into it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
# The install is editable (code and SQL changes need none), so only a changed pyproject.toml
# (dependencies, entry points) needs pip again: ~6 s of every call otherwise.
stamp=.venv/.arena-pipeline-installed
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -x .venv/bin/arena-pipeline ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
  echo "$wanted" > "$stamp"
fi
