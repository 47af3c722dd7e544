"""Live transcription for the recording screen: captions now, the transcript at stop.

The answer is transcribed while it is spoken (see ``models/streaming.py`` and
docs/STREAMING.md), so the report is ready about as soon as the stop key is pressed. This
module only decides whether that is possible — the speech model must already be loaded and
able to decode chunks (test doubles usually are not) — and renders captions; when it is not,
or streaming fails, the processing screen falls back to one batch pass over the recording.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from kiosk.core.ports import Language
from kiosk.core.streaming import Caption

if TYPE_CHECKING:
    from models.streaming import LiveStream

log = logging.getLogger(__name__)

CAPTION_CHARS = 240
"""Captions show the end of the answer so far; the whole text is in the report."""


def open_stream(
    transcriber: object, language: str, on_caption: Callable[[Caption], None]
) -> LiveStream | None:
    """A running live stream over ``transcriber``, or ``None`` if it cannot stream."""
    if not (hasattr(transcriber, "decode_words") and hasattr(transcriber, "detect_language")):
        return None
    from models.streaming import LiveStream, StreamingTranscriber

    lang: Language = "zh" if language == "zh" else "en" if language == "en" else "auto"
    try:
        processor = StreamingTranscriber(transcriber, lang)
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
