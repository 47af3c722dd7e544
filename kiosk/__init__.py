"""Interview Kiosk: an offline spoken mock-interview trainer for the terminal."""

__version__ = "0.1.0"
