"""Org health: findings about technical leadership in an organisation (pure Python).

- ``policy``: the thresholds and the policy file that overrides them.
- ``report``: what the engine says (``Finding``, ``Metrics``, ``HealthReport``), ready for JSON.
- ``index``: lookups over an organisation snapshot, and the changes a what-if makes to them.
- ``engine``: ``evaluate(snapshot, ladder, policy)``, the rules scope by scope.
- ``whatif``: planned changes, read from options or a file, simulated without writing anything.
- ``timeline``: the count of each finding at each month's end.
- ``render``: a report or a what-if result as a terminal table, JSON or a self-contained HTML page.
"""
