"""A command or setting missing from the docs is a bug."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from trellis.cli import app

DOCS = Path(__file__).parent.parent / "docs"


def command_paths(command: Any, prefix: str = "trellis") -> list[str]:
    if hasattr(command, "commands"):
        paths = []
        for name, sub in command.commands.items():
            paths += command_paths(sub, f"{prefix} {name}")
        return paths
    return [prefix]


def test_every_command_is_documented_in_docs_cli():
    text = (DOCS / "cli.md").read_text()
    paths = command_paths(typer.main.get_command(app))
    assert "trellis ladder validate" in paths and "trellis demo" in paths
    missing = [path for path in paths if f"`{path}" not in text]
    assert missing == [], f"document these in docs/cli.md: {missing}"


def test_every_environment_setting_is_documented():
    settings_source = (Path(__file__).parent.parent / "src/trellis/web/settings.py").read_text()
    deploy = (DOCS / "deploy.md").read_text()
    import re

    names = set(re.findall(r'environ\.get\("([A-Z_]+)"', settings_source))
    assert names, "settings read no environment variables?"
    assert sorted(n for n in names if f"`{n}`" not in deploy) == []
