#!/usr/bin/env bash
# Set up what is missing, then open Interview Kiosk. Extra arguments go to `kiosk`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/scripts/setup.sh"
exec "$ROOT/.venv/bin/kiosk" "$@"
