"""``kiosk analyze FILE``: measure a recorded answer without the TUI.

Inputs are checked before the speech model is loaded (a typo in the path should fail in
milliseconds, not after ten seconds of model loading). Progress goes to stderr and only
when it is a terminal, so ``--json`` output can be piped untouched.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kiosk.core.errors import BadInput
from kiosk.core.ports import Language, Progress
from kiosk.core.target import Target, parse_target

if TYPE_CHECKING:
    from kiosk.core.ports import Transcriber
    from kiosk.core.report import Report

LANGUAGES = ("zh", "en", "auto")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("analyze", help="transcribe a recorded answer and report its delivery")
    p.add_argument("file", type=Path, help="audio file (wav, flac, mp3, m4a, ogg)")
    p.add_argument("--lang", default=None, help="language of the answer: zh, en or auto")
    p.add_argument("--target", default=None, help="time target in seconds: 60, 60-90, 1m-1m30s")
    p.add_argument("--model", type=Path, default=None, help="CTranslate2 Whisper model folder")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the report as JSON")
    fmt.add_argument("--markdown", action="store_true", help="print the report as Markdown")
    p.add_argument("-o", "--output", type=Path, default=None, help="write the report to a file")
    p.set_defaults(func=run)


def parse_language(value: str | None) -> Language | None:
    if value is None:
        return None
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise BadInput(f"bad --lang {value!r}: use zh, en or auto")
    return cast(Language, lang)


def _output_format(args: argparse.Namespace) -> str:
    if args.json:
        return "json"
    if args.markdown:
        return "markdown"
    if args.output is not None and args.output.suffix.lower() in (".json", ".md"):
        return "json" if args.output.suffix.lower() == ".json" else "markdown"
    return "rich"


def run(args: argparse.Namespace) -> int:
    from audio.files import load_audio
    from kiosk.config import load_settings

    language = parse_language(args.lang)
    target: Target | None = parse_target(args.target) if args.target is not None else None
    settings = load_settings({"model_dir": args.model, "language": language})
    fmt = _output_format(args)
    if args.output is not None and args.output.is_dir():
        raise BadInput(f"--output {args.output}: is a directory; give a file name")
    audio = load_audio(args.file)
    with _progress() as show:
        show("loading speech model", None)
        transcriber, model_name = _load_transcriber(settings.model_dir)
        from kiosk.pipeline import analyze_audio

        report = analyze_audio(
            audio,
            transcriber=transcriber,
            language=settings.language,
            target=target,
            on_progress=lambda p: show("transcribing", p),
            source=str(args.file),
            model=model_name,
        )
    _emit(report, fmt, args.output)
    return 0


def _load_transcriber(model_dir: Path | None) -> tuple[Transcriber, str]:
    """Find the model (cheap, clear errors), then load it (slow)."""
    from kiosk.config import cache_dir
    from models.registry import resolve_model

    info = resolve_model(model_dir, cache_dir())
    from models.whisper import load_transcriber

    return load_transcriber(info.path), info.name


def render_text(report: Report, fmt: str, width: int | None = None) -> str:
    """The report as JSON, Markdown or plain text of the Rich rendering."""
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return report.to_markdown()
    from rich.console import Console

    from kiosk.render import render_report

    console = Console(width=width or 100, file=io.StringIO(), color_system=None)
    console.print(render_report(report))
    return cast(io.StringIO, console.file).getvalue()


def _emit(report: Report, fmt: str, output: Path | None) -> None:
    if output is not None:
        try:
            output.write_text(render_text(report, fmt), encoding="utf-8")
        except OSError as exc:
            raise BadInput(f"cannot write {output}: {exc.strerror or exc}") from None
        print(f"report written to {output}", file=sys.stderr)
        return
    if fmt != "rich":
        sys.stdout.write(render_text(report, fmt))
        return
    from rich.console import Console

    from kiosk.render import render_report

    Console().print(render_report(report))


Show = Callable[[str, Progress | None], None]


@contextmanager
def _progress() -> Iterator[Show]:
    """A spinner/bar on stderr when it is a terminal; a no-op otherwise."""
    if not sys.stderr.isatty():
        yield lambda label, progress: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, SpinnerColumn, TextColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[detail]}"),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("starting", total=None, detail="")

    def show(label: str, p: Progress | None) -> None:
        if p is None:
            bar.update(task, description=label)
        else:
            detail = f"{p.done:.0f}/{p.total:.0f} s of audio"
            bar.update(task, description=label, completed=p.done, total=p.total, detail=detail)

    with bar:
        yield show
