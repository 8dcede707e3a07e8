"""Org health: findings about technical leadership in an organisation (pure Python)."""
