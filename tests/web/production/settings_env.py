"""The production settings documented in docs/deploy.md, read from the docs themselves."""

from __future__ import annotations

import re
from pathlib import Path

DEPLOY = Path(__file__).parents[3] / "docs" / "deploy.md"


def documented_production_settings() -> dict[str, str]:
    text = DEPLOY.read_text()
    block = re.search(r"<!-- production settings -->\n```sh\n(.*?)```", text, re.S)
    assert block, "docs/deploy.md lost its production settings block"
    return dict(line.split("=", 1) for line in block.group(1).splitlines() if line.strip())
