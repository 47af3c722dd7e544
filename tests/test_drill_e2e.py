"""End to end: a timing drill answered through the virtual microphone, transcribed by the
real model, reported with the target's marker where the target time fell.

A 12 s drill is chosen in the booth; 25 s of spontaneous Mandarin (tests/data
zh_conversation.wav) is spoken into the PulseAudio virtual microphone, recorded by the real
``SoundDeviceRecorder``, so the answer runs over. The report must mark the first word said
after 12 s — a word that starts within about a second of the target.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static, Tree

from kiosk.audio.fakes import FakeSpeaker
from kiosk.audio.playback import DevicePlayer
from kiosk.audio.recorder import SoundDeviceRecorder
from kiosk.config import Settings
from kiosk.core.drills import split_at_target
from kiosk.speech.live import open_stream
from kiosk.store.database import Store
from kiosk.ui.app import make_app
from kiosk.ui.drill import DrillClock
from kiosk.ui.screens.drill import DrillSetupScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.recording import RecordingScreen
from kiosk.ui.screens.report import ReportScreen
from tests.plugins.virtual_audio import PulseAudio
from tests.test_drill_ui import drill_library
from tests.test_ui_support import until

pytestmark = [pytest.mark.model, pytest.mark.audio]
TARGET_S = 12.0


async def test_a_drill_through_the_virtual_microphone_marks_the_overrun(
    pulse_virtual_audio: PulseAudio, transcriber: object, data_dir: Path
) -> None:
    with Store.open() as store:
        app = make_app(
            Settings(),
            recorder_factory=lambda s: SoundDeviceRecorder(device=s.input_device),
            speaker=FakeSpeaker(),
            transcriber_factory=lambda s: transcriber,  # type: ignore[arg-type,return-value]
            library=drill_library(),
            player=DevicePlayer(),
            streams=open_stream,
            store=store,
        )
        async with app.run_test(size=(110, 40)) as pilot:
            tree = app.screen.query_one(Tree)
            nodes = [tree.get_node_at_line(i) for i in range(tree.last_line + 1)]
            tree.select_node(next(n for n in nodes if n and "Choose a length" in str(n.label)))
            await until(pilot, lambda: isinstance(app.screen, DrillSetupScreen))
            custom = app.screen.query_one("#drill-custom", Input)
            lengths = app.screen.query_one(OptionList)
            await until(pilot, lambda: lengths.has_focus)  # the screen is mounted
            await pilot.press("tab")  # to the length field, as a person would
            await until(pilot, lambda: custom.has_focus)  # typed keys go to the field
            await pilot.press(*f"{TARGET_S:g}")
            await until(pilot, lambda: custom.value == f"{TARGET_S:g}")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, QuestionScreen))
            await pilot.press("space")
            await until(pilot, lambda: getattr(app.screen, "state", "") == "recording")
            recording = app.screen
            assert isinstance(recording, RecordingScreen)
            clock = recording.query_one(DrillClock)

            # An idle virtual source can take seconds to deliver its first block; speak once
            # the microphone is really listening, as a person would after seeing the meter.
            await until(pilot, lambda: recording.live.samples > 0, timeout=20)
            clip = data_dir / "zh_conversation.wav"
            for _attempt in range(3):  # a just-started server can refuse the first client
                playing = pulse_virtual_audio.feed(clip)
                while playing.poll() is None:
                    await pilot.pause(0.2)
                if playing.returncode == 0:
                    break
                await pilot.pause(0.5)
            assert playing.returncode == 0, "paplay could not play into the virtual microphone"
            await until(pilot, lambda: clock.cue == "over", timeout=15)
            await pilot.press("space")
            await until(pilot, lambda: isinstance(app.screen, ReportScreen), timeout=240)
            screen = app.screen
            assert isinstance(screen, ReportScreen)
            await until(pilot, lambda: bool(screen.query("#drill-result")))
            panel = str(screen.query_one("#drill-result", Static).render())

        report = screen.report
        words = report.transcript.words
        marked = report.metrics.length.target_end_word
        assert marked is not None, ("no word crosses the target", [(w.text, w.end) for w in words])
        assert words[marked].end > TARGET_S >= words[marked - 1].end
        assert abs(words[marked].start - TARGET_S) < 1.2, words[marked]
        split = split_at_target(report)
        assert split.in_time and split.overrun and split.over_by_s > 8
        assert "Over by" in panel
        [attempt] = store.list()
        assert attempt.status == "analysed" and attempt.target_high == TARGET_S
    print(
        f"marked word {words[marked].text!r} at {words[marked].start:.2f}–"
        f"{words[marked].end:.2f} s; over by {split.over_by_s:.1f} s"
    )
