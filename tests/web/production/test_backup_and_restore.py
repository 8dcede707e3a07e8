"""A backup restored into an empty database gives back the same organisation."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.conftest import PASSWORD
from tests.web.org.csv_files import ORG
from trellis.cli import app
from trellis.web.accounts.roles import ADMIN
from trellis.web.org import services
from trellis.web.org.models import Person

TRELLIS = str(Path(sys.executable).parent / "trellis")


@pytest.fixture
def organisation(alice, charlie):  # type: ignore[no-untyped-def]
    from trellis.web.ladders.services import ensure_default_ladder

    ensure_default_ladder()
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    Person.objects.filter(name="Björn Ng").update(user=charlie)
    return services.export_csv()


@pytest.mark.django_db
def test_a_backup_restored_into_a_new_database_gives_the_same_export(organisation, runner, tmp_path):
    backup = tmp_path / "trellis-backup.json.gz"
    result = runner.invoke(app, ["backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert "people" in result.stdout and backup.stat().st_size > 0

    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLIS_", "DATABASE_URL", "DJANGO_"))}
    env.update({"DATABASE_URL": f"sqlite:///{empty / 'restored.sqlite3'}", "TRELLIS_DATA_DIR": str(empty)})
    restored = subprocess.run([TRELLIS, "restore", str(backup)], env=env, capture_output=True, text=True, cwd=empty)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored from {backup}: 6 people, 2 teams, 2 accounts, 1 ladder versions")
    export = subprocess.run([TRELLIS, "org", "export"], env=env, capture_output=True, text=True, cwd=empty)
    assert export.stdout == organisation


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_the_configured_database_with_accounts_and_roles(organisation, runner, tmp_path,
                                                                                client, alice):
    """Runs on the test database's own engine: SQLite, or PostgreSQL with DATABASE_URL."""
    alice.groups.add(Group.objects.get_or_create(name=ADMIN)[0])  # a flushed database has no groups
    backup = tmp_path / "trellis-backup.json"
    assert runner.invoke(app, ["backup", str(backup)]).exit_code == 0
    call_command("flush", interactive=False, verbosity=0)
    assert Person.objects.count() == 0

    result = runner.invoke(app, ["restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert services.export_csv() == organisation
    assert Person.objects.get(name="Björn Ng").user.username == "charlie"
    assert client.login(username="alice", password=PASSWORD)
    assert client.get("/org/import/").status_code == 200, "alice is still admin"


@pytest.mark.django_db
def test_a_restore_into_a_database_holding_data_is_refused_and_changes_nothing(organisation, runner, tmp_path):
    backup = tmp_path / "trellis-backup.json"
    assert runner.invoke(app, ["backup", str(backup)]).exit_code == 0
    result = runner.invoke(app, ["restore", str(backup)])
    assert result.exit_code == 1
    assert "the database is not empty (" in result.stderr and "org.person" in result.stderr
    assert services.export_csv() == organisation


@pytest.mark.django_db
def test_a_backup_file_name_says_its_format(runner, tmp_path):
    result = runner.invoke(app, ["backup", str(tmp_path / "backup.zip")])
    assert result.exit_code == 1
    assert "a backup file's name ends in .json, .json.gz" in result.stderr
