#!/usr/bin/env bash
# Set up what is missing (test tools and virtual audio included), then run every check:
# lint, types, the import contract of the pure core, and the whole pytest suite.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/setup.sh" --test
cd "$ROOT"
BIN="$ROOT/.venv/bin"
"$BIN/ruff" check --quiet .
"$BIN/ruff" format --check --quiet .
"$BIN/mypy" --no-error-summary
"$BIN/lint-imports" --no-cache >/dev/null
exec "$BIN/python" -m pytest -q "$@"
