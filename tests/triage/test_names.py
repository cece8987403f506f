"""Senders' names found in free text (``triage --mask``)."""

from __future__ import annotations

import pytest

from sapkcheck.triage.names import SenderNames


def _names(*names: str) -> SenderNames:
    found = SenderNames()
    for number, name in enumerate(names, start=1):
        found.add(name, f"S{number}")
    return found


def _alias(key: str) -> str:
    return f"<{key}>"


@pytest.mark.parametrize(
    ("names", "text", "any_case", "expected"),
    [
        (("Budi", "Budi Santoso"), "pak Budi Santoso dan Budi", False, "pak <S2> dan <S1>"),
        (("Budi Santoso", "Budi"), "pak Budi Santoso dan Budi", False, "pak <S1> dan <S2>"),
        (("Ani",), "Rani dan Ani, juga ANI", False, "Rani dan <S1>, juga ANI"),
        (("Ani",), "Rani dan Ani, juga ANI, ani", True, "Rani dan <S1>, juga <S1>, ani"),
        (("Indah",), "kantor indah sekali", True, "kantor indah sekali"),
        (
            ("BKN",),
            "asndigital.bkn.go.id, eli@bkn.go.id, ke BKN.",
            True,
            "asndigital.bkn.go.id, eli@bkn.go.id, ke <S1>.",
        ),
        (("~\u202fBudi Santoso",), "sama spt budi   santoso", True, "sama spt <S1>"),
        (("Budi S.",), "pak Budi S. bilang", False, "pak <S1>. bilang"),
        (("Budi Santoso",), "Budi, Santoso", False, "Budi, Santoso"),
        (("Budi Santoso",), "Budi Santos", False, "Budi Santos"),
        (("\U0001f64f",), "terima kasih \U0001f64f", False, "terima kasih \U0001f64f"),
        (("Siti",), "", False, ""),
        (("Ma'ruf Amin",), "pak ma\u2019ruf amin", True, "pak <S1>"),
    ],
)
def test_names_are_replaced_longest_first_as_whole_words(
    names: tuple[str, ...], text: str, any_case: bool, expected: str
) -> None:
    assert _names(*names).replace(text, _alias, any_case) == expected


def test_many_names_each_found_by_its_own_key() -> None:
    names = [f"Budi Santoso {number}" for number in range(2000)]
    found = _names(*names)
    text = " / ".join(names[::-500])
    assert found.replace(text, _alias, False) == " / ".join(
        f"<S{number + 1}>" for number in range(1999, -1, -500)
    )


_ADDRESSED = ["Pak", "Bapak", "Bu", "Ibu", "Mas", "Mbak", "Kak", "Bang", "Dik"]


def _called(*names: str) -> list[str]:
    return [f"{title} {name}" for name in names for title in _ADDRESSED]


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        (
            "Siti Aminah (Dinkes)",
            ["Siti Aminah (Dinkes)", "Siti Aminah", *_called("Siti", "Siti Aminah")],
        ),
        ("Pak Joko", ["Joko", *_called("Joko")]),
        (
            "Dr. Andi Wijaya, S.Pd",
            [
                *("Dr. Andi Wijaya, S.Pd", "Dr. Andi Wijaya", "Andi Wijaya"),
                *_called("Andi", "Andi Wijaya"),
            ],
        ),
        (
            "Andi Wijaya S.Pd M.Si",
            ["Andi Wijaya S.Pd M.Si", "Andi Wijaya", *_called("Andi", "Andi Wijaya")],
        ),
        ("Budi Santoso", ["Budi Santoso", *_called("Budi", "Budi Santoso")]),
        ("Bu A", []),  # "A" would rename a common word
        ("Ibu Guru", []),  # a desk, not a person: "guru" stays in every message
        ("Admin", []),
        ("Operator Dinas", []),
    ],
)
def test_a_name_s_shorter_forms(name: str, variants: list[str]) -> None:
    from sapkcheck.triage.names import name_variants

    assert sorted(name_variants(name)) == sorted(variants)
