"""The ``trellis`` command: a thin layer over the same functions the web app uses.

Exit codes: 0 success, 1 bad input (every problem is listed on standard error),
2 a usage mistake (unknown option, missing argument).
"""

from __future__ import annotations

import typer

from trellis.cli import cycle, health, ladder, org, promotions, readiness, server

app = typer.Typer(
    name="trellis",
    help="Trellis: run a technical-leadership career track beside people management.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(ladder.app, name="ladder")
app.add_typer(org.app, name="org")
app.add_typer(cycle.app, name="cycle")
app.add_typer(promotions.app, name="promotions")
org.register(app)
health.register(app)
readiness.register(app)
server.register(app)


def main() -> None:
    app()
