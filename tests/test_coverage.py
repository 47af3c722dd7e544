"""Coverage of the speech by the transcript, on synthetic spans and words."""

from __future__ import annotations

import pytest

from kiosk.core.coverage import coverage, speech_in, uncovered_speech, untranscribed
from kiosk.core.transcript import Span, Word


def words(*times: tuple[float, float]) -> list[Word]:
    return [Word(f"w{i}", a, b) for i, (a, b) in enumerate(times)]


def test_speech_near_words_is_covered() -> None:
    speech = [Span(0.0, 3.0)]
    said = words((0.1, 1.0), (1.1, 2.0), (2.2, 2.9))
    assert uncovered_speech(speech, said) == []
    assert coverage(speech, said) == 1.0


def test_no_speech_is_fully_covered_and_no_words_covers_nothing() -> None:
    assert coverage([], words((0.0, 1.0))) == 1.0
    assert coverage([Span(0.0, 2.0)], []) == 0.0
    assert untranscribed([Span(0.0, 2.0)], []) == (Span(0.0, 2.0),)


def test_a_skipped_phrase_is_one_stretch() -> None:
    speech = [Span(0.0, 3.0), Span(3.2, 8.0)]
    said = words((0.0, 2.0), (7.0, 8.0))
    (gap,) = untranscribed(speech, said)
    assert gap == Span(pytest.approx(2.4), pytest.approx(6.6))
    assert speech_in(speech, gap) == pytest.approx(4.0)
    assert coverage(speech, said) == pytest.approx(1 - 4.0 / 7.8)


def test_short_misses_are_not_reported_but_still_counted() -> None:
    speech = [Span(0.0, 5.0)]
    said = words((0.0, 2.0), (3.2, 5.0))  # 0.4 s beyond reach of both words
    assert untranscribed(speech, said) == ()
    assert coverage(speech, said) == pytest.approx(1 - 0.4 / 5.0)


def test_the_report_says_what_speech_has_no_words() -> None:
    from kiosk.core.report import Report, missing_speech_text
    from kiosk.core.transcript import Transcript
    from kiosk.pipeline import report_from_transcript

    tx = Transcript("en", 12.0, tuple(words((0.5, 1.0), (1.1, 2.0))), (Span(0.4, 8.0),))
    report = report_from_transcript(tx)
    data = report.to_dict()["transcript"]
    assert data["coverage"] == pytest.approx(1 - 5.6 / 7.6, abs=1e-3)
    assert data["untranscribed"] == [{"start": 2.4, "end": 8.0, "speech_s": 5.6}]
    assert missing_speech_text(tx) == (
        "Speech that could not be transcribed (not in the figures): 5.6 s at 0:02"
    )
    assert "5.6 s at 0:02" in report.to_markdown()
    assert Report.from_dict(report.to_dict()).transcript == tx
