"""Reading questions aloud, without ever writing to the terminal the TUI draws on.

pyttsx3 (espeak-ng on Linux) is fragile in ways that matter here. ``say()`` shells out to
``aplay``, whose messages land on the screen, and the device cannot be chosen. pyttsx3 puts
espeak-ng in its asynchronous ("retrieval") mode, so ``runAndWait()`` returns before the
speech is synthesised, and its ``Cancel`` drops queued rate and voice changes (measured on
this image with pyttsx3 2.99 and espeak-ng 1.51: wrong rates in 2 of 6 runs, missing WAV
files); it also hangs when nothing is queued and misbehaves across threads. So:

* ONE thread per process owns the engine (espeak-ng is a process-wide singleton) and takes
  jobs from a queue; callers wait for each result with a timeout, so a wedged engine
  cannot hang the UI;
* on Linux that thread drives espeak-ng through pyttsx3's own binding in *synchronous*
  mode: set voice and rate, synthesise, collect the samples — deterministic, no files, no
  subprocess; elsewhere it uses pyttsx3's engine with one ``save_to_file`` and one
  ``runAndWait`` per utterance, confirmed by the finished-utterance callback;
* the samples are played by :func:`kiosk.audio.playback.play` on the chosen output device, and
  playback is what ``stop()`` cuts short.

English uses espeak-ng's English voice, with acronyms written as dotted abbreviations and
a small gap between words (both measured to help, docs/VOICES.md). Mandarin uses the neural
voice of ``kiosk.audio.voices`` when it is installed (espeak-ng's Mandarin is barely
intelligible), else espeak-ng's ``cmn-latn-pinyin`` — not ``cmn``, which reads Hanzi as
pinyin tone digits in English. English terms inside a Mandarin question (AI, RAG, A/B …)
are read by the English voice and joined to the Mandarin voice's audio
(``kiosk.audio.voices.terms``, ``kiosk.audio.voices.mixing``).
"""

from __future__ import annotations

import ctypes
import logging
import queue
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import soundfile as sf

from kiosk.audio.playback import play
from kiosk.audio.voices.mixing import speak_segments
from kiosk.audio.voices.terms import english_text, split_languages
from kiosk.core.errors import KioskError
from kiosk.core.ports import Language
from kiosk.core.transcript import is_han

Samples = tuple[npt.NDArray[np.float32], int]
Player = Callable[..., bool]

ESPEAK_VOICES = {"en": "gmw/en-us", "zh": "sit/cmn-latn-pinyin"}
ENGLISH_WORD_GAP = 4
"""Extra silence between English words, in espeak-ng's units of 10 ms at the default rate:
measured, it cuts the speech model's word error rate by a quarter (docs/VOICES.md)."""
TERM_VOICE = "gmw/en-us"
"""espeak-ng voice for English terms inside Mandarin questions."""
TERM_RATE_SCALE = 160 / 170
"""English terms in Mandarin questions are read a little slower than the speaker's rate."""
_WORDGAP = 7  # espeakWORDGAP in espeak-ng's speak_lib.h; pyttsx3's binding has no name for it
_log = logging.getLogger(__name__)


class SpeechError(KioskError):
    """The speech engine failed; questions can still be read on screen."""


def spoken_language(text: str, language: Language) -> str:
    """``zh`` or ``en``; ``auto`` decides by whether the text contains Han characters."""
    if language in ("zh", "en"):
        return language
    return "zh" if any(is_han(ch) for ch in text) else "en"


def _mandarin_voice() -> Callable[[str], Samples] | None:
    """The neural Mandarin voice if that optional package is installed and usable."""
    try:
        from kiosk.audio import voices
    except ImportError:
        return None
    try:
        usable = bool(voices.mandarin_available())
    except Exception:  # a broken optional voice must not break reading aloud
        _log.warning("Mandarin voice check failed", exc_info=True)
        return None
    return voices.synthesize_mandarin if usable else None


def _discard(*_args: Any, **_kwargs: Any) -> None:
    return None


class _Espeak:
    """espeak-ng through pyttsx3's own binding, in synchronous mode (see module docstring)."""

    def __init__(self) -> None:
        from pyttsx3.drivers import _espeak, espeak

        if espeak.EspeakDriver._moduleInitialized:
            raise RuntimeError("espeak-ng was already initialised in asynchronous mode")
        rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000)
        if rate == -1:
            raise RuntimeError("could not initialise espeak-ng")
        # espeak-ng initialises once per process; keep pyttsx3 from trying again.
        espeak.EspeakDriver._moduleInitialized = True
        espeak.EspeakDriver._defaultVoice = ESPEAK_VOICES["en"]
        self._lib = _espeak
        self.sample_rate = int(rate)
        self._chunks: list[bytes] = []
        _espeak.SetSynthCallback(self._collect)

    def _collect(self, wav: Any, n: int, _events: Any) -> int:
        if n > 0:
            self._chunks.append(ctypes.string_at(wav, n * 2))
        return 0

    def synthesize(self, text: str, voice: str, rate: int, word_gap: int = 0) -> Samples:
        lib = self._lib
        if lib.SetVoiceByName(voice.encode()) != 0:
            _log.info("voice %s not available; using the current one", voice)
        lib.SetParameter(lib.RATE, rate, 0)
        lib.SetParameter(_WORDGAP, word_gap, 0)
        self._chunks = []
        lib.SetSynthCallback(self._collect)  # process-global: make sure it is still ours
        lib.Synth(text.encode("utf-8"), flags=lib.ENDPAUSE | lib.CHARS_UTF8)
        pcm = np.frombuffer(b"".join(self._chunks), dtype="<i2")
        if pcm.size == 0 and text.strip():
            raise RuntimeError("espeak-ng produced no audio")
        return (pcm.astype(np.float32) / 32768.0), self.sample_rate


class _Pyttsx3:
    """Any other pyttsx3 engine: one ``save_to_file`` + ``runAndWait`` per utterance."""

    def __init__(self, timeout_s: float) -> None:
        import pyttsx3

        self.timeout_s = timeout_s
        self._done = threading.Event()
        self._engine = pyttsx3.init()
        self._engine.connect("finished-utterance", lambda **_: self._done.set())
        driver = sys.modules.get("pyttsx3.drivers.espeak")
        if driver is not None:  # it prints "Audio saved to ..." after every file
            driver.__dict__["print"] = _discard

    def synthesize(self, text: str, voice: str, rate: int, word_gap: int = 0) -> Samples:
        engine = self._engine
        try:
            engine.setProperty("voice", voice)
        except (ValueError, KeyError):
            _log.info("voice %s not available; using the engine's default", voice)
        engine.setProperty("rate", rate)
        with tempfile.TemporaryDirectory(prefix="kiosk-tts-") as tmp:
            out = Path(tmp) / "question.wav"
            self._done.clear()
            engine.save_to_file(text, str(out))
            engine.runAndWait()
            if not self._done.wait(self.timeout_s):
                raise RuntimeError("the speech engine never finished the utterance")
            data, sr = sf.read(str(out), dtype="float32", always_2d=True)
        return np.ascontiguousarray(data[:, 0]), int(sr)


class _Backend(Protocol):
    def synthesize(self, text: str, voice: str, rate: int, word_gap: int = 0) -> Samples: ...


class _EngineThread:
    """The one thread that owns the speech engine (see module docstring)."""

    def __init__(self, timeout_s: float = 20.0) -> None:
        self._jobs: queue.Queue[tuple[str, str, int, int, Future[Samples]] | None] = queue.Queue()
        self._ready = threading.Event()
        self.timeout_s = timeout_s
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="tts-engine", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout) and self.error is None

    def submit(self, text: str, voice: str, rate: int, word_gap: int = 0) -> Future[Samples]:
        fut: Future[Samples] = Future()
        self._jobs.put((text, voice, rate, word_gap, fut))
        return fut

    def _open(self) -> _Backend:
        try:
            return _Espeak()
        except Exception as exc:
            _log.info("espeak-ng binding unusable (%s); trying pyttsx3's default engine", exc)
        return _Pyttsx3(self.timeout_s)

    def _run(self) -> None:
        try:
            backend = self._open()
        except Exception as exc:  # no engine at all: the speaker reports unavailable
            self.error = exc
            self._ready.set()
            return
        self._ready.set()
        while (job := self._jobs.get()) is not None:
            text, voice, rate, word_gap, fut = job
            if fut.set_running_or_notify_cancel():
                try:
                    fut.set_result(self._synthesize(backend, text, voice, rate, word_gap))
                except Exception as exc:
                    fut.set_exception(exc)

    @staticmethod
    def _synthesize(
        backend: _Backend, text: str, voice: str, rate: int, word_gap: int = 0
    ) -> Samples:
        return backend.synthesize(text, voice, rate, word_gap)


_shared_engine: _EngineThread | None = None
_shared_lock = threading.Lock()


def _engine_thread() -> _EngineThread:
    """The process-wide engine thread: espeak-ng and pyttsx3's engine are singletons."""
    global _shared_engine
    with _shared_lock:
        if _shared_engine is None:
            _shared_engine = _EngineThread()
        return _shared_engine


class Pyttsx3Speaker:
    """:class:`~kiosk.core.ports.Speaker` over pyttsx3, played through ``kiosk.audio.playback``."""

    def __init__(
        self,
        rate: int = 170,
        device: str | int | None = None,
        timeout_s: float = 20.0,
        player: Player = play,
        mandarin: bool = True,
        english_terms: bool = True,
    ) -> None:
        self.rate = rate
        self.english_terms = english_terms
        self.device = device
        self.timeout_s = timeout_s
        self._player = player
        self._mandarin = _mandarin_voice() if mandarin else None
        self._engine: _EngineThread | None = None
        self._broken: str | None = None
        self._stop = threading.Event()

    def _engine_ok(self) -> bool:
        if self._engine is None:
            self._engine = _engine_thread()
        if self._broken is None and not self._engine.wait_ready(self.timeout_s):
            self._broken = f"the speech engine could not start ({self._engine.error})"
        return self._broken is None

    def available(self) -> bool:
        return self._engine_ok() or self._mandarin is not None

    def synthesize(self, text: str, language: Language = "auto") -> Samples:
        """The question as float32 samples and their rate, without playing it."""
        lang = spoken_language(text, language)
        if lang == "zh" and self._mandarin is not None:
            try:
                samples, sr = self._mandarin_with_terms(text)
                if samples.size:
                    return np.asarray(samples, dtype=np.float32), int(sr)
            except Exception:
                _log.warning("Mandarin voice failed; falling back to espeak-ng", exc_info=True)
        if lang == "en":
            return self._espeak(
                english_text(text), ESPEAK_VOICES["en"], self.rate, ENGLISH_WORD_GAP
            )
        return self._espeak(text, ESPEAK_VOICES[lang], self.rate)

    def _mandarin_with_terms(self, text: str) -> Samples:
        """The Mandarin voice, with the English terms in ``text`` read by the English voice.

        Falls back to the Mandarin voice alone (terms spelled with Chinese letter names) when
        there are no terms, English terms are switched off, or espeak-ng cannot say them.
        """
        assert self._mandarin is not None
        segments = split_languages(text) if self.english_terms else []
        if any(s.language == "en" for s in segments) and self._engine_ok():
            voices = {"zh": self._mandarin, "en": self._term}
            try:
                return speak_segments(segments, voices)
            except SpeechError:
                _log.warning("English terms unavailable; the Mandarin voice spells them")
        return self._mandarin(text)

    def _term(self, text: str) -> Samples:
        return self._espeak(text, TERM_VOICE, max(80, round(self.rate * TERM_RATE_SCALE)))

    def _espeak(self, text: str, voice: str, rate: int, word_gap: int = 0) -> Samples:
        if not self._engine_ok():
            raise SpeechError(f"{self._broken}; questions are shown as text only")
        assert self._engine is not None
        fut = self._engine.submit(text, voice, rate, word_gap)
        try:
            return fut.result(timeout=self.timeout_s)
        except FutureTimeout:
            fut.cancel()
            self._broken = f"the speech engine did not answer within {self.timeout_s:.0f} s"
            raise SpeechError(f"{self._broken}; questions are shown as text only") from None
        except (OSError, RuntimeError, ValueError, sf.LibsndfileError) as exc:
            raise SpeechError(f"the speech engine failed: {exc}") from None

    def speak(self, text: str, language: Language = "auto") -> None:
        """Read ``text`` aloud; returns when it has been played or :meth:`stop` was called."""
        self._stop.clear()
        samples, sr = self.synthesize(text, language)
        if self._stop.is_set() or samples.size == 0:
            return
        self._player(samples, sr, device=self.device, stop_event=self._stop)

    def stop(self) -> None:
        self._stop.set()


class NullSpeaker:
    """Speaks nothing (questions read aloud are switched off)."""

    def available(self) -> bool:
        return True

    def speak(self, text: str, language: Language = "auto") -> None:
        return None

    def stop(self) -> None:
        return None
