"""The NIP decoder caches its parts (digits 1-8, 9-14) across rows: whatever it decides
must be what the uncached decoder decided. ``data/nip_decoded.json.gz`` holds that
decoder's results (commit 5fe6fa1) for 4,008 NIPs: random dates and codes around every
bound, impossible ones, PPPK and PNS, sex and serial faults, typed with and without
separators (spans then point past them), on two reference days."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sapkcheck.checks.nip import NipResult, check_nip

GOLDEN = Path(__file__).parent / "data" / "nip_decoded.json.gz"


def _shape(result: NipResult) -> dict[str, Any]:
    info = result.info
    born = info.birth_date.isoformat() if info.birth_date else None
    return {
        "info": [
            info.input,
            info.normalized,
            info.kind,
            born,
            info.appointed,
            info.sex,
            info.serial,
            info.contract,
        ],
        "findings": [
            [
                f.code,
                f.severity.value,
                f.field,
                sorted([name, value] for name, value in f.params.items()),
                list(f.span) if f.span else None,
                f.faq,
                f.detail,
            ]
            for f in result.findings
        ],
    }


def _golden() -> list[dict[str, Any]]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as stream:
        cases: list[dict[str, Any]] = json.load(stream)
    return cases


def test_every_nip_decodes_as_the_uncached_decoder_did() -> None:
    cases = _golden()
    assert len(cases) > 4000
    assert {case["findings"][0][0] for case in cases if case["findings"]} >= {
        "nip-birth-date",
        "nip-appointment",
        "nip-sex",
        "nip-serial",
        "nip-age",
        "nip-separators",
    }
    for case in cases:
        result = check_nip(case["text"], today=date.fromisoformat(case["today"]))
        assert _shape(result) == {"info": case["info"], "findings": case["findings"]}, case


@pytest.mark.parametrize("round_", range(2))
def test_a_cached_part_is_the_same_on_its_second_use(round_: int) -> None:
    """Two rows sharing a birth date and a TMT (the cache's hits) decode independently."""
    today = date(2026, 11, 29)
    first = check_nip("198609262015051001", today=today)
    second = check_nip("19860926 201505 2 000", today=today)
    assert first.info.sex == "male" and first.findings == ()
    assert second.info.sex == "female"
    assert [f.code for f in second.findings] == ["nip-separators", "nip-serial"]
    assert second.findings[1].span == (18, 21)
