"""The triage evaluation set (benchmarks/triage_eval.toml) stays well-formed and balanced."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sapkcheck.knowledge.faq import load_faq
from sapkcheck.triage.extract import extract

EVAL = Path(__file__).parents[2] / "benchmarks" / "triage_eval.toml"


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    with EVAL.open("rb") as handle:
        loaded: list[dict[str, Any]] = tomllib.load(handle)["cases"]
    return loaded


def test_cases_are_labelled_with_known_entries(cases: list[dict[str, Any]]) -> None:
    ids = {entry.id for entry in load_faq()} | {"none"}
    for case in cases:
        assert set(case) == {"faq", "text"}, case
        assert case["faq"] in ids, case
        assert isinstance(case["text"], str) and case["text"].strip(), case


def test_every_entry_is_covered(cases: list[dict[str, Any]]) -> None:
    counts = Counter(case["faq"] for case in cases)
    assert len(cases) >= 330
    assert counts["none"] >= 90
    assert sum(n for label, n in counts.items() if label != "none") >= 250
    for entry in load_faq():
        assert counts[entry.id] >= 12, entry.id


def test_no_duplicate_messages(cases: list[dict[str, Any]]) -> None:
    texts = Counter(" ".join(case["text"].casefold().split()) for case in cases)
    assert [text for text, n in texts.items() if n > 1] == []


def test_values_in_the_set_are_found_as_typed(cases: list[dict[str, Any]]) -> None:
    classic = next(c["text"] for c in cases if c["text"].startswith("Assalamualaikum pak, sy mau"))
    assert extract(classic).email == ["eli.sari@gmail.com "]
    for case in cases:
        found = extract(case["text"])
        for value in found.nip + found.email + found.token + found.masked:
            assert value in case["text"]
