"""Database set-up, the production server and the demo."""

from __future__ import annotations

import gc
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from trellis.cli.common import EXIT_BAD_INPUT, err, fail, out, setup_django
from trellis.lib.problems import InputError


def _manage(*args: str) -> None:
    setup_django()
    from django.core.management import call_command

    call_command(*args)


def instance_dir(host: str, port: int) -> Path:
    """This server's own directory: nothing in it is shared with another instance or program."""
    from django.conf import settings

    name = re.sub(r"[^A-Za-z0-9.]+", "_", host).strip("_") or "all"
    path = Path(settings.RUN_DIR) / f"{name}-{port}"
    (path / "tmp").mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def refuse_to_start_unchecked() -> None:
    """Django's system checks, the identity provider's included (its discovery document is read
    now): a server that could not sign anyone in says so at start, not at the first sign-in."""
    from django.core import checks

    serious = [m for m in checks.run_checks(include_deployment_checks=False) if m.is_serious()]
    if serious:
        for message in serious:
            err.print(f"{message.id}: {message.msg}" + (f"\n  {message.hint}" if message.hint else ""))
        err.print("Trellis did not start: fix the settings above (docs/deploy.md).")
        raise typer.Exit(EXIT_BAD_INPUT)


# Requests each worker process serves at once, each on its own thread. A request waiting for something
# other than the interpreter keeps its thread meanwhile: a sign-in or an edit waiting for SQLite's write lock
# while an import writes (seconds), a password being checked (a good part of a second of processor). With
# every thread so taken, a page that needs neither would wait for one, unseen by anything Django measures;
# with more threads than requests waiting so, it is read beside them.
THREADS = 8


def serve_forever(host: str, port: int, workers: int) -> None:
    """Run gunicorn (a production WSGI server) in this process; static files come from WhiteNoise."""
    from gunicorn.app.base import BaseApplication

    setup_django()
    refuse_to_start_unchecked()
    run = instance_dir(host, port)
    # Uploads and every other temporary file of this instance go to its own directory too.
    os.environ["TMPDIR"] = str(run / "tmp")
    tempfile.tempdir = str(run / "tmp")
    from trellis.web.wsgi import application

    # What is loaded by now (Django, the apps, their modules: some 200,000 objects) lives as long as the
    # server. Frozen before the workers are forked, it stays out of the collector's full passes, each of
    # which holds the interpreter, and with it every request of the worker, while it walks what it tracks.
    gc.collect()
    gc.freeze()

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", THREADS)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)
            self.cfg.set("control_socket", str(run / "gunicorn.ctl"))
            self.cfg.set("pidfile", str(run / "gunicorn.pid"))
            self.cfg.set("worker_tmp_dir", str(run / "tmp"))

        def load(self) -> Any:
            return application

    Server().run()


def register(app: typer.Typer) -> None:
    @app.command()
    def migrate() -> None:
        """Create or update the database tables (DATABASE_URL picks the database)."""
        _manage("migrate", "--noinput")
        setup_django()
        from trellis.web.ladders.services import ensure_default_ladder

        version = ensure_default_ladder()
        out.print(f"Database ready; active ladder: version {version.number} ({version.name}).")

    @app.command()
    def backup(
        file: Annotated[Path, typer.Argument(help="Where to write: FILE.json, or .json.gz to compress.")],
    ) -> None:
        """Write everything Trellis keeps (organisation, history, ladders, accounts, roles) to FILE."""
        setup_django()
        from trellis.web import backup as backups

        try:
            counts = backups.backup(file)
        except InputError as exc:
            fail(exc.problems)
        out.print(f"Backed up to {file}: {backups.summary(counts)}.")

    @app.command()
    def restore(file: Annotated[Path, typer.Argument(help="A file written by trellis backup.")]) -> None:
        """Load a backup into an empty database (DATABASE_URL), creating its tables first."""
        setup_django()
        from trellis.web import backup as backups

        try:
            counts = backups.restore(file)
        except InputError as exc:
            fail(exc.problems)
        out.print(f"Restored from {file}: {backups.summary(counts)}.")

    @app.command()
    def createsuperuser() -> None:
        """Create an admin account interactively."""
        _manage("createsuperuser")

    @app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def manage(ctx: typer.Context) -> None:
        """Run any Django management command: trellis manage COMMAND [ARGS]."""
        setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["trellis manage", *ctx.args])

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        workers: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    ) -> None:
        """Serve Trellis with a production-grade server (gunicorn)."""
        out.print(f"Trellis at http://{host}:{port}/")
        serve_forever(host, port, workers)

    @app.command()
    def demo(
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        people: Annotated[int, typer.Option(help="Size of the generated demo organisation.")] = 200,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        seed: Annotated[int, typer.Option(help="Seed of the generated organisation.")] = 1,
        password: Annotated[str | None, typer.Option(help="Demo password (default: a new random one).")] = None,
        serve: Annotated[bool, typer.Option(help="Start the server after preparing the database.")] = True,
    ) -> None:
        """Prepare a demo database (default ladder, generated organisation) and serve it."""
        os.environ.setdefault("DATABASE_URL", "sqlite:///" + os.path.abspath("trellis.sqlite3"))
        setup_django()
        from trellis.web.demo import prepare_demo

        password = password or os.environ.get("TRELLIS_DEMO_PASSWORD") or secrets.token_urlsafe(9)
        summary = prepare_demo(people=people, seed=seed, password=password)
        out.print(summary)
        out.print(f"\n[bold]Trellis demo[/bold] at [bold]http://{host}:{port}/[/bold]")
        out.print(f"Sign in as [bold]demo[/bold] with password [bold]{password}[/bold]\n")
        if serve:
            serve_forever(host, port, 2)
