"""``kiosk devices``: list microphones and speakers, so users can pick one by name or index."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("devices", help="list audio input and output devices")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from kiosk.audio.devices import list_devices

    devices = list_devices()
    if args.json:
        print(json.dumps([d.as_dict() for d in devices], ensure_ascii=False, indent=2))
        return 0
    if not devices:
        print("no audio devices found (no sound card, or no sound server running)")
        return 0
    print(f"{'':2} {'#':>3}  {'name':<40} {'in':>3} {'out':>3} {'rate':>7}  host API")
    for d in devices:
        mark = ("<" if d.default_input else " ") + (">" if d.default_output else " ")
        print(
            f"{mark} {d.index:>3}  {d.name[:40]:<40} {d.max_input_channels:>3} "
            f"{d.max_output_channels:>3} {d.default_samplerate:>7.0f}  {d.hostapi}"
        )
    print("< default input, > default output; choose with --input-device / --output-device")
    return 0
