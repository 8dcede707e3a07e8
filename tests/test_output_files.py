"""A command that cannot write its output file says so, without a traceback, and exits 1."""

from __future__ import annotations

import pytest

from trellis.cli import app

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("args", [
    ["ladder", "export", "--format", "yaml"],
    ["demo-org", "--people", "30"],
    ["health", "--from-csv", "docs/examples/org.csv", "--format", "html"],
])
def test_an_unwritable_output_is_bad_input(runner, tmp_path, args):
    target = str(tmp_path / "no-such-folder" / "out.txt")
    result = runner.invoke(app, [*args, "--output", target])
    assert result.exit_code == 1, result.output
    assert f"{target}: error: cannot write the file" in result.output
    assert "Traceback" not in result.output
