"""The booth's live transcription over the loaded speech model (its ``streams`` service).

:func:`open_stream` is the real :data:`~kiosk.core.ports.StreamOpener`: a
:class:`kiosk.speech.streaming.LiveStream` over the model when the model can decode chunks (the
faster-whisper adapter can, test doubles usually cannot), or None, and the answer is then
transcribed after the stop. Its double is ``kiosk.speech.fakes.FakeStreams``. How the stream
works is in ``kiosk/speech/streaming.py`` and docs/STREAMING.md.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from kiosk.core.ports import CaptionCallback, Language, Transcriber

if TYPE_CHECKING:
    from kiosk.speech.streaming import LiveStream

log = logging.getLogger(__name__)


def open_stream(
    transcriber: Transcriber, language: Language, on_caption: CaptionCallback
) -> LiveStream | None:
    """A running live stream over ``transcriber``, or ``None`` if it cannot stream (it
    does not decode chunks, as the faster-whisper adapter does)."""
    if not (hasattr(transcriber, "decode_words") and hasattr(transcriber, "detect_language")):
        return None
    from kiosk.speech.streaming import LiveStream, StreamingTranscriber

    try:
        processor = StreamingTranscriber(cast(Any, transcriber), language)
    except Exception as exc:  # e.g. the VAD cannot load: transcribe after stop instead
        log.warning("live transcription unavailable: %s", exc)
        return None
    return LiveStream(processor, on_caption).start()
