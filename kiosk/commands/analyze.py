"""``kiosk analyze FILE``: measure a recorded answer without the TUI.

Inputs and the output path are checked before the speech model is loaded (a typo in a
path should fail in milliseconds, not after ten seconds of model loading); only a regular
file is read as a recording, never a device or FIFO. A recording with many samples at full
scale gets a warning: clipping distorts words and the measurements. The recording goes
through the same pipeline as an answer in the booth (:func:`kiosk.pipeline.analyze_recording`),
silence gate included, so a silent file is "no speech", never a transcript made of noise.
Progress goes to stderr and only when it is a terminal, so ``--json`` output can be piped
untouched. A report written with ``-o`` is private (0600) and written whole or not at all.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from kiosk.core.errors import BadInput, printable
from kiosk.core.ports import Audio, Language, Progress
from kiosk.core.target import Target, parse_target

if TYPE_CHECKING:
    from kiosk.core.ports import Transcriber
    from kiosk.core.report import Report
    from kiosk.questions.model import Question

LANGUAGES = ("zh", "en", "auto")
MAX_AUDIO_BYTES = 1_000_000_000
"""Larger files are refused: an answer is minutes long, a few MB even as uncompressed WAV."""
AUDIO_NOUN = "recording (wav, flac, mp3, m4a, ogg)"
CLIP_LEVEL = 0.999
"""A sample this close to full scale (|x| ≥ 0.999) counts as clipped."""
CLIP_SHARE = 0.001
"""Warn when at least this share of the samples (0.1 %) is clipped."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("analyze", help="transcribe a recorded answer and report its delivery")
    p.add_argument("file", type=Path, help="audio file (wav, flac, mp3, m4a, ogg)")
    p.add_argument("--lang", default=None, help="language of the answer: zh, en or auto")
    p.add_argument("--target", default=None, help="time target in seconds: 60, 60-90, 1m-1m30s")
    p.add_argument("--model", type=Path, default=None, help="CTranslate2 Whisper model folder")
    p.add_argument(
        "--question",
        default=None,
        metavar="ID",
        help="the bank question answered (see `kiosk banks show`): adds which of its key "
        "points were covered and the answer's structure; its time target unless --target",
    )
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


def clipping_note(audio: Audio) -> str | None:
    """A warning when a meaningful share of ``audio`` is at full scale (clipped), else None."""
    if audio.size == 0:
        return None
    step = 1 << 20  # counted a block at a time: no whole-recording temporaries
    clipped = sum(
        np.count_nonzero(np.abs(audio[i : i + step]) >= CLIP_LEVEL)
        for i in range(0, audio.size, step)
    )
    share = clipped / audio.size
    if share < CLIP_SHARE:
        return None
    return (
        f"{share:.1%} of the samples are at full scale: the recording is clipped (the input "
        "was too loud), so words may be misheard and pauses mismeasured; record again with "
        "the microphone gain lower"
    )


def _read_audio(path: Path) -> Audio:
    """The recording at ``path``: a regular file only, every error one printable line."""
    from kiosk.audio.files import load_audio
    from kiosk.config import regular_file

    path = path.expanduser()
    regular_file(path, AUDIO_NOUN, MAX_AUDIO_BYTES)
    try:
        return load_audio(path)
    except BadInput as exc:
        raise BadInput(printable(str(exc))) from None


def run(args: argparse.Namespace) -> int:
    from kiosk.config import load_settings
    from kiosk.output.export import check_output

    language = parse_language(args.lang)
    target: Target | None = parse_target(args.target) if args.target is not None else None
    settings = load_settings({"model_dir": args.model, "language": language})
    fmt = _output_format(args)
    if args.output is not None:
        check_output(args.output)
    question = find_question(args.question, settings.banks) if args.question else None
    if target is None and question is not None:
        target = question.target
    audio = _read_audio(args.file)
    clipped = clipping_note(audio)
    if clipped is not None:
        print(f"warning: {clipped}", file=sys.stderr)
    with _progress() as show:
        show("loading speech model", None)
        transcriber, model_name = _load_transcriber(settings.model_dir)
        from kiosk.pipeline import analyze_recording

        analysis = analyze_recording(
            audio,
            transcriber=lambda: transcriber,
            language=settings.language,
            target=target,
            on_progress=lambda p: show("transcribing", p),
            source=str(args.file),
            model=model_name,
            question=question,
            notes=() if clipped is None else (clipped,),
        )
    _emit(analysis.report, fmt, args.output)
    return 0


def find_question(question_id: str, banks: Sequence[Path] = ()) -> Question:
    """The bank question ``question_id`` (bundled, the user's banks and ``banks``), or
    :class:`BadInput` naming the closest ids and where to list them."""
    import difflib

    from kiosk.questions.loader import load_library

    library = load_library(banks)
    wanted = question_id.strip()
    question = next((q for q in library.questions if q.id == wanted), None)
    if question is not None:
        return question
    close = difflib.get_close_matches(wanted, [q.id for q in library.questions], n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise BadInput(
        f"--question {printable(question_id)!r}: no bank question has this id.{hint} "
        "`kiosk banks show BANK` lists the ids of a bank."
    )


def _load_transcriber(model_dir: Path | None) -> tuple[Transcriber, str]:
    """Find the model (cheap, clear errors), then load it (slow)."""
    from kiosk.config import cache_dir
    from kiosk.speech.registry import resolve_model

    info = resolve_model(model_dir, cache_dir())
    from kiosk.speech.whisper import load_transcriber

    return load_transcriber(info.path), info.name


def render_text(report: Report, fmt: str, width: int | None = None) -> str:
    """The report as JSON, Markdown or plain text of the Rich rendering."""
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return report.to_markdown()
    from rich.console import Console

    from kiosk.output.render import render_report

    console = Console(width=width or 100, file=io.StringIO(), color_system=None)
    console.print(render_report(report))
    return cast(io.StringIO, console.file).getvalue()


def _emit(report: Report, fmt: str, output: Path | None) -> None:
    from kiosk.output.export import show_text, write_private

    if output is not None:
        write_private(output, render_text(report, fmt))
        print(f"report written to {printable(str(output))}", file=sys.stderr)
        return
    if fmt != "rich":
        sys.stdout.write(show_text(render_text(report, fmt), fmt))
        return
    from rich.console import Console

    from kiosk.output.render import render_report

    shown = dataclasses.replace(
        report,
        source=printable(report.source) if report.source else None,
        question_text=printable(report.question_text) if report.question_text else None,
    )
    Console().print(render_report(shown))


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
