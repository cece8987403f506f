"""README "Limits" names every cap of ``sapkcheck.limits`` with its value, and what happens
past it: a cap changed in code without the README (or the reverse) fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from sapkcheck import limits

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Limits", 1)[1].split("\n## ", 1)[0] if "## Limits" in README else ""
CAPS = {name: value for name, value in vars(limits).items() if name.startswith("MAX_")}


def shown(name: str, value: int) -> str:
    if name == "MAX_PROFILE_BYTES":
        return f"{value // 1024} KiB"
    return f"{value:,}"


def test_limits_section_sits_before_exit_codes() -> None:
    assert SECTION, "README has no '## Limits' section"
    assert README.index("## Limits") < README.index("## Exit codes")


@pytest.mark.parametrize("name", sorted(CAPS))
def test_every_cap_is_in_the_readme_with_its_value(name: str) -> None:
    rows = [line for line in SECTION.splitlines() if line.startswith("|")]
    assert any(f"| {shown(name, CAPS[name])}" in row for row in rows), name


def test_every_row_says_what_happens_past_the_cap() -> None:
    rows = [line for line in SECTION.splitlines() if line.startswith("| ") and "---" not in line]
    for row in rows[1:]:
        past = row.rstrip(" |").rsplit("|", 1)[1]
        assert "exit 2" in past or "finding" in past, row
