"""The practice booth: a Textual TUI that asks aloud, records the answer and reports."""
