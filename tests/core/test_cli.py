"""The command line, run as a user runs it: a real subprocess against a real instance folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "callimachus.cli"]


def run(instance: Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CALLIMACHUS_INSTANCE_PATH": str(instance), **(env or {})}
    environment.pop("CALLIMACHUS_DATABASE_URL", None)
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, env=environment, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("cli") / "instance"
    out = run(path, "init").stdout
    creds = {}
    for line in out.splitlines():
        if ":" in line and line.startswith("  "):
            name, value = line.strip().split(":", 1)
            creds[name.strip()] = value.strip()
    return path, creds


pytestmark = pytest.mark.backend_independent


def test_init_prints_administrator_once(instance):
    path, creds = instance
    assert creds["e-mail"] == "admin@localhost"
    assert len(creds["password"]) >= 16 and len(creds["API token"]) >= 40
    assert (path / "callimachus.db").exists() and (path / "files").is_dir()
    again = run(path, "init").stdout
    assert "password" not in again and "Instance ready" in again


def test_users_and_tokens(instance):
    path, _ = instance
    created = run(path, "users", "create", "alice@example.org", "--password", "s3cret-enough").stdout
    assert "alice@example.org" in created
    token = run(path, "tokens", "create", "alice@example.org", "--name", "laptop", "--scopes", "deposit:write").stdout.strip()
    assert len(token) >= 40
    duplicate = run(path, "users", "create", "alice@example.org", check=False)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    bad_scope = run(path, "tokens", "create", "alice@example.org", "--scopes", "everything", check=False)
    assert bad_scope.returncode == 1 and "Unknown scope" in bad_scope.stderr
    unknown = run(path, "tokens", "create", "nobody@example.org", check=False)
    assert unknown.returncode == 1


def test_records_show(instance, tmp_path):
    path, creds = instance
    from callimachus.app import build_context
    from callimachus.config import settings_from_env
    from callimachus.services import drafts
    from callimachus.services.tokens import identity_for_token

    ctx = build_context(settings_from_env({"CALLIMACHUS_INSTANCE_PATH": str(path)}))
    with ctx.unit_of_work(write=True) as uow:
        identity = identity_for_token(uow, creds["API token"])
        view = drafts.create_draft(ctx, uow, identity, {"metadata": {"title": "Shown by the CLI"}})
        uow.commit()
    shown = json.loads(run(path, "records", "show", str(view.recid)).stdout)
    assert shown["metadata"]["title"] == "Shown by the CLI"
    missing = run(path, "records", "show", "424242", check=False)
    assert missing.returncode == 1 and "does not exist" in missing.stderr


@pytest.mark.parametrize(
    "command",
    [[], ["init"], ["serve"], ["users"], ["users", "create"], ["tokens"], ["tokens", "create"], ["records"], ["records", "show"]],
)
def test_every_command_has_help(command, tmp_path):
    result = run(tmp_path, *command, "--help")
    assert "Usage:" in result.stdout
