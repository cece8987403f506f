"""The help texts have one home: the catalogs' help.toml (Indonesian and English). No
``help="…"`` prose stays in the typer commands, where it used to duplicate the catalog
(and drift from it: the profile option's default and the --jobs range had changed in one
place only)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import typer

import sapkcheck.cli
from sapkcheck.cli import app
from sapkcheck.knowledge.i18n import LANGS, catalog

CLI_DIR = Path(sapkcheck.cli.__file__).parent
SOURCES = sorted(CLI_DIR.rglob("*.py"))


def _prose(node: ast.expr) -> bool:
    """A literal string, an f-string, or literals joined with +."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _prose(node.left) or _prose(node.right)
    return False


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_help_prose_in_the_cli(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg in ("help", "short_help", "epilog") and _prose(keyword.value):
                found.append(f"line {keyword.lineno}: {keyword.arg}=…")
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name == "value_option" and any(_prose(arg) for arg in node.args[1:]):
            found.append(f"line {node.lineno}: value_option(…, '…')")
    assert found == [], f"{path.name}: help text belongs in catalog/*/help.toml"


def test_the_guard_sees_help_prose() -> None:
    source = 'typer.Option("--x", help="Some words " "more words")\nvalue_option("--y", "words")'
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    assert any(_prose(k.value) for c in calls for k in c.keywords if k.arg == "help")
    assert any(_prose(a) for c in calls for a in c.args[1:])


@pytest.mark.parametrize("lang", LANGS)
def test_every_visible_option_has_catalog_help_with_its_values_filled(lang: str) -> None:
    from sapkcheck.cli.localize import localize_help

    group = typer.main.get_command(app)
    localize_help(group, catalog(lang))
    for name, command in {"sapkcheck": group, **group.commands}.items():  # type: ignore[attr-defined]
        localize_help(command, catalog(lang))
        for param in command.params:
            if getattr(param, "hidden", False):
                continue
            text = getattr(param, "help", None)
            assert text, f"{lang}: {name} {param.name} has no help"
            assert "{" not in text, f"{lang}: {name} {param.name}: {text}"
