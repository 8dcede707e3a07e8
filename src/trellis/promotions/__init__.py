"""Promotions and track changes as plain rules: states, the Peter-Principle guard, what a
proposal changes, and the reports (promotion rates, time in level, moves between tracks,
the four-fifths rule with small groups withheld). No framework imports here; the database
layer (``trellis.web.promotions``) stores proposals and asks these rules.
"""
