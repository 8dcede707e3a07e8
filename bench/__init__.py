"""Benchmarks: `python -m bench` runs them all (`make bench`); figures, not pass/fail tests."""
