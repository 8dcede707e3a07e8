"""Trellis: a technical-leadership career track beside people management."""

__version__ = "0.1.0"
