"""Language enters at render time only: checks and diagnosis return ids and parameters."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import sapkcheck
from sapkcheck.diagnosis import diagnose_password, recognize_message, run_check
from sapkcheck.knowledge.faq import get_entry
from sapkcheck.knowledge.i18n import LANGS, Lang, catalog
from sapkcheck.knowledge.policies import POLICIES

PACKAGE = Path(sapkcheck.__file__).parent
# The stages before rendering: they may name catalog keys, never read a catalog.
PROSE_FREE = [
    *sorted((PACKAGE / "checks").rglob("*.py")),
    PACKAGE / "diagnosis.py",
    PACKAGE / "findings.py",
    PACKAGE / "knowledge" / "policies.py",
    PACKAGE / "knowledge" / "profile.py",
    PACKAGE / "batch" / "rows.py",
]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", PROSE_FREE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_stage_reads_no_catalog(path: Path) -> None:
    imported = _imports(path)
    assert not {name for name in imported if name.startswith("sapkcheck.knowledge.i18n")}, path
    assert not {name for name in imported if name.startswith("sapkcheck.render")}, path


@pytest.mark.parametrize("function", [run_check, recognize_message, diagnose_password])
def test_diagnosis_takes_no_language(function: object) -> None:
    assert "lang" not in inspect.signature(function).parameters  # type: ignore[arg-type]


def test_recognized_message_carries_the_entry_id_not_its_title() -> None:
    _, finding = recognize_message("Operasi Gagal")
    assert finding.code == "message-recognized"
    assert finding.params["entry"] == "operasi-gagal"
    assert "title" not in finding.params


@pytest.mark.parametrize("lang", LANGS)
def test_the_title_is_named_at_render_time_in_the_readers_language(lang: Lang) -> None:
    _, finding = recognize_message("Operasi Gagal")
    title = get_entry("operasi-gagal").text(lang).title
    assert f"'{title}'" in catalog(lang).message(finding)


def test_reports_hold_faq_ids_only() -> None:
    report = run_check(message="Operasi Gagal", email="eli.sari @gmail.com")
    assert report.remedies and all(isinstance(faq, str) for faq in report.remedies)
    for faq in report.remedies:
        get_entry(faq)  # an id, not a title
    password = diagnose_password([], POLICIES["mysapk"])
    assert password.remedies == []
