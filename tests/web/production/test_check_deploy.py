"""Django's deployment check passes with the production settings the docs give."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.web.production.settings_env import documented_production_settings


def _check_deploy(extra: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLIS_", "DATABASE_URL", "DJANGO_"))}
    env.update({"TRELLIS_DATA_DIR": str(tmp_path), **extra})
    command = [str(Path(sys.executable).parent / "trellis"), "manage", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp_path)


def test_the_documented_production_settings_pass_the_deployment_check_with_no_warning(tmp_path):
    settings = documented_production_settings()
    assert settings["TRELLIS_HTTPS"] == "1"
    result = _check_deploy(settings, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_https_settings_the_check_names_what_is_missing(tmp_path):
    result = _check_deploy({}, tmp_path)
    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr
