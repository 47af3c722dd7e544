"""The pure core: value types, metrics, fillers, timing verdicts, session flow and reports.

Nothing in this package may import Textual, sounddevice, pyttsx3 or faster_whisper (a test
and an import-linter contract enforce it), so every rule about *how well an answer was
spoken* can be tested on plain data, without a terminal, a microphone or a model.
"""
