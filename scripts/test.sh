#!/usr/bin/env bash
# Set up what is missing (test tools and virtual audio included), then run every check:
# lint (Python and shell), types, the import contract of the pure core, the user's own path
# (the plain set-up and scripts/start.sh), and the whole pytest suite.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/setup.sh" --test
cd "$ROOT"
BIN="$ROOT/.venv/bin"

fail() {
    printf 'test.sh: %s\n' "$*" >&2
    exit 1
}

# --- lint, types, import contract -------------------------------------------------------
"$BIN/ruff" check --quiet .
"$BIN/ruff" format --check --quiet .
"$BIN/mypy" --no-error-summary
shopt -s nullglob
shellcheck scripts/*.sh .ci/run tests/plugins/*.sh
shopt -u nullglob
"$BIN/lint-imports" --no-cache >/dev/null

# --- the user's path: what README's `scripts/start.sh` does, without --test -------------
# expect_output TEXT COMMAND…: run COMMAND…; fail unless it exits 0 and prints (on stdout)
# something that contains TEXT.
expect_output() {
    local text=$1 out status=0
    shift
    out=$("$@") || status=$?
    if [ "$status" -ne 0 ]; then
        fail "'$*' exited with status $status"
    fi
    if [ -z "$out" ]; then
        fail "'$*' printed nothing"
    fi
    case "$out" in
        *"$text"*) ;;
        *) fail "'$*' did not print '$text'" ;;
    esac
}
"$ROOT/scripts/setup.sh" || fail "scripts/setup.sh (without --test) exited with status $?"
expect_output "usage: kiosk" "$ROOT/scripts/start.sh" --help
expect_output "kiosk " "$ROOT/scripts/start.sh" --version

# --- the test suite ---------------------------------------------------------------------
exec "$BIN/python" -m pytest -q "$@"
