"""Speech models: where they are (``registry``, pure) and how they are run (``whisper``)."""
