"""Each seed FAQ question is found from its own wording and from paraphrases people type
(the list lives in benchmarks/data/, where benchmarks/faq_matcher.py reports the rate)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from benchmarks.faq_matcher import load_cases
from sapkcheck.knowledge.faq import search

CASES = load_cases()
SEED_IDS = (
    "aktivasi-akun",
    "reset-tidak-merespon",
    "operasi-gagal",
    "email-tidak-sesuai",
    "jadwal-pemutakhiran",
)


def test_every_seed_question_has_its_wording_and_three_paraphrases() -> None:
    by_id: dict[str, list[str]] = defaultdict(list)
    for expected, text in CASES:
        by_id[expected].append(text)
    for faq_id in SEED_IDS:
        assert len(by_id[faq_id]) >= 4, faq_id


@pytest.mark.parametrize(("expected", "text"), CASES[:48])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_paraphrase_finds_its_entry_first(expected: str, text: str, lang: str) -> None:
    ranked = search(text, lang)  # type: ignore[arg-type]
    assert ranked[0][0].id == expected, [(e.id, s) for e, s in ranked[:3]]


def test_harder_paraphrases_mostly_first() -> None:
    """Slang and typos: the rate is quoted in the closing note; it must not regress much."""
    harder = CASES[48:]
    hits = sum(search(text, "id")[0][0].id == expected for expected, text in harder)
    assert hits >= len(harder) - 2
