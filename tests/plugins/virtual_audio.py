"""Shared fixtures (see module docstring once filled)."""
