"""End to end: the booth with the real microphone path, the real model and real speech.

A private PulseAudio provides a virtual microphone; ``paplay`` speaks a committed Mandarin
clip into it while the booth records through ``sounddevice`` exactly as it would on a
laptop. The embedded Whisper model transcribes it. Only the voice reading the question is
a double (what it says is checked; how it sounds is tested with the voice itself).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kiosk.audio.fakes import FakeSpeaker
from kiosk.audio.files import load_audio
from kiosk.audio.playback import DevicePlayer
from kiosk.audio.recorder import SoundDeviceRecorder
from kiosk.config import Settings
from kiosk.speech.live import open_stream
from kiosk.store.database import Store
from kiosk.ui.app import make_app
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen
from tests.plugins.virtual_audio import PulseAudio
from tests.test_ui_support import library, open_first_question, until

pytestmark = [pytest.mark.model, pytest.mark.audio]


async def test_a_spoken_answer_through_the_virtual_microphone_is_reported(
    pulse_virtual_audio: PulseAudio, transcriber: object, data_dir: Path
) -> None:
    clip = data_dir / "zh_welcome.wav"  # 欢迎大家来体验达摩院推出的语音识别模型, 5.5 s
    speaker = FakeSpeaker()
    with Store.open() as store:
        app = make_app(
            Settings(),
            recorder_factory=lambda s: SoundDeviceRecorder(device=s.input_device),
            speaker=speaker,
            transcriber_factory=lambda s: transcriber,  # type: ignore[arg-type,return-value]
            library=library(),
            player=DevicePlayer(),
            streams=open_stream,
            store=store,
        )
        async with app.run_test(size=(110, 40)) as pilot:
            await open_first_question(pilot)
            assert isinstance(app.screen, QuestionScreen)
            await until(pilot, lambda: speaker.texts == ["请介绍一个你负责过的 AI 项目。"])
            await pilot.press("space")
            await until(pilot, lambda: getattr(app.screen, "state", "") == "recording")
            recording = app.screen
            assert isinstance(recording, RecordingScreen) and recording.path is not None

            playing = pulse_virtual_audio.feed(clip)
            peak = 0.0
            while playing.poll() is None:  # watch the live meter while the clip plays
                await pilot.pause(0.1)
                peak = max(peak, recording.query_one("#level").level)  # type: ignore[attr-defined]
            await pilot.pause(0.5)
            assert peak > 0.3, "the level meter moved while the answer was spoken"
            assert recording.elapsed() > 5.0

            started = time.monotonic()
            await pilot.press("space")
            await until(pilot, lambda: isinstance(app.screen, ReportScreen), timeout=120)
            took = time.monotonic() - started
            report = app.screen
            assert isinstance(report, ReportScreen)
            text = report.report.transcript.text
            assert "欢迎" in text and "识别" in text, text
            assert report.query_one("#card-length").has_class("good"), "5.5 s within 4–8 s"

        kept = load_audio(recording.path)
        assert len(kept) / 16000 > 5.0, "the whole answer is on disk"
        [attempt] = store.list()
        assert attempt.status == "analysed" and attempt.report_dict is not None
    print(f"stop → report: {took:.1f} s for {len(kept) / 16000:.1f} s of audio")
