"""The README's curl walkthrough, run word for word against a real server from `callimachus serve`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.server import init_instance, running_server

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_script() -> str:
    text = README.read_text()
    section = text.split("## Try the API", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def test_readme_walkthrough(tmp_path):
    instance = tmp_path / "instance"
    creds = init_instance(instance)
    script = readme_script()
    with running_server(instance) as server:
        script = script.replace("TOKEN=paste-the-api-token-here", f"TOKEN={creds['API token']}")
        script = script.replace("SITE=http://127.0.0.1:5000", f"SITE={server.url}")
        workdir = tmp_path / "work"
        workdir.mkdir()
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=workdir, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    draft_id = int(lines[0].split()[1])
    assert sum(line.startswith("md5:") for line in lines) == 4  # three uploads, then the replacement
    assert f"10.5072/callimachus.{draft_id}" in lines
    for name in ("temps.csv", "README.txt", "analysis.py"):
        assert f"{name}: MD5 matches" in lines
    # The new version got the next recid; the concept DOI now leads to it.
    assert lines[-1].endswith(f"/records/{draft_id + 1}")
