"""Live transcription for the recording screen: captions now, the transcript at stop.

The answer is transcribed while it is spoken (see ``models/streaming.py`` and
docs/STREAMING.md), so the report is ready about as soon as the stop key is pressed. This
module only decides whether that is possible — the speech model must already be loaded and
able to decode chunks (test doubles usually are not) — and renders captions; when it is not,
or streaming fails, the pipeline falls back to one batch pass over the recording.
:func:`open_stream` is the booth's ``streams`` service (a
:data:`~kiosk.core.ports.StreamOpener`); its double is ``models.fakes.FakeStreams``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text

from kiosk.core.ports import CaptionCallback, Language, Transcriber
from kiosk.core.streaming import Caption

if TYPE_CHECKING:
    from models.streaming import LiveStream

log = logging.getLogger(__name__)

CAPTION_CHARS = 240
"""Captions show the end of the answer so far; the whole text is in the report."""


def open_stream(
    transcriber: Transcriber, language: Language, on_caption: CaptionCallback
) -> LiveStream | None:
    """A running live stream over ``transcriber``, or ``None`` if it cannot stream (it
    does not decode chunks, as the faster-whisper adapter does)."""
    if not (hasattr(transcriber, "decode_words") and hasattr(transcriber, "detect_language")):
        return None
    from models.streaming import LiveStream, StreamingTranscriber

    try:
        processor = StreamingTranscriber(cast(Any, transcriber), language)
    except Exception as exc:  # e.g. the VAD cannot load: transcribe after stop instead
        log.warning("live transcription unavailable: %s", exc)
        return None
    return LiveStream(processor, on_caption).start()


def caption_text(caption: Caption, limit: int = CAPTION_CHARS) -> Text:
    """Final text plain, the tentative tail dim italic; only the last ``limit`` characters."""
    final, tentative = caption.final_text, caption.tentative_text
    gap = " " if final and tentative and not _tight(final[-1], tentative[0]) else ""
    overflow = len(final) + len(gap) + len(tentative) - limit
    if overflow > 0:
        final = "…" + final[min(len(final), overflow + 1) :]
    text = Text(final)
    text.append(gap + tentative, style="dim italic")
    return text


def _tight(left: str, right: str) -> bool:
    return not (left.isascii() and right.isascii())
