"""Small helpers that depend on nothing else in Trellis."""
