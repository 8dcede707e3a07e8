"""The organisation: people, teams, roles, reporting lines and their history (pure Python)."""
