"""Interview questions: the bank schema, the loader with its validation, and mock rounds.

Pure on purpose (no UI, audio or model imports) so the TUI, the command line and the tests
share one picture of what a question is.
"""
