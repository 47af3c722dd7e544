"""Live captions on the recording screen: the end of what has been heard so far.

The answer is transcribed while it is spoken by the booth's ``streams`` service
(``kiosk.speech.live.open_stream`` over the loaded model; see ``kiosk/speech/streaming.py`` and
docs/STREAMING.md), so the report is ready about as soon as the stop key is pressed; when
the model cannot stream, or streaming fails, the pipeline falls back to one batch pass over
the recording. This module renders the captions the stream reports.
"""

from __future__ import annotations

from rich.text import Text

from kiosk.core.chunking import Caption

CAPTION_CHARS = 240
"""Captions show the end of the answer so far; the whole text is in the report."""


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
