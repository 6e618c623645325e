"""The design's layering, checked on the source: every import of a ``callimachus`` module points to
the same package or to a lower layer, and only the wiring reads the environment."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend_independent

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "callimachus"

# Lowest first. A module may import its own package and anything on a lower line; the wiring
# modules (the last line) may also import one another.
LAYERS: list[set[str]] = [
    {"__init__", "core", "config"},
    {"metadata"},
    {"db", "storage", "search", "tasks", "pids", "mail"},
    {"permissions", "formats"},
    {"services"},
    {"web"},
    {"app", "asgi", "cli", "cli_search", "worker", "celery_app"},
]
WIRING = LAYERS[-1] | {"config"}


def level(part: str) -> int:
    for index, names in enumerate(LAYERS):
        if part in names:
            return index
    raise AssertionError(f"callimachus.{part} is in no layer: add it to LAYERS")


def area(module: str) -> str:
    """``callimachus.services.drafts`` → ``services``; ``callimachus`` → ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(relative.parts).removesuffix(".__init__")
        found.append((name, path))
    return found


def imported(path: Path) -> list[tuple[int, str]]:
    """Every absolute ``callimachus`` import in the file, also those inside functions."""
    names: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append((node.lineno, node.module))
    return [(line, name) for line, name in names if name == "callimachus" or name.startswith("callimachus.")]


def test_every_import_points_down() -> None:
    upward = []
    for name, path in modules():
        source = area(name)
        for line, target in imported(path):
            goes_to = area(target)
            same_area = goes_to == source or {goes_to, source} <= LAYERS[-1]
            if not same_area and level(goes_to) >= level(source):
                upward.append(f"{path.relative_to(PACKAGE)}:{line}: {name} imports {target}")
    assert upward == []


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The check above can fail: a services module importing the web layer is caught."""
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from callimachus.web import app\n", encoding="utf-8")
    (line, target), = imported(module)
    assert (line, target) == (2, "callimachus.web")
    assert level(area(target)) > level("services")


def test_only_the_wiring_reads_the_environment() -> None:
    readers = []
    for name, path in modules():
        if area(name) in WIRING:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("os.environ", "os.getenv", "settings_from_env"):
            if needle in text:
                readers.append(f"{path.relative_to(PACKAGE)} uses {needle}")
    assert readers == []
