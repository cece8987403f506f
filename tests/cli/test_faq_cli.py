"""`sapkcheck faq`: list the FAQ, show one entry, find the entry for a pasted message."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import Run

CLI = Callable[..., Run]
WIDE = {"COLUMNS": "200"}

SEED = {
    "aktivasi-akun": 1,
    "reset-tidak-merespon": 2,
    "operasi-gagal": 3,
    "email-tidak-sesuai": 4,
    "jadwal-pemutakhiran": 5,
}
OTHERS = {
    "token-tidak-diterima",
    "token-salah",
    "syarat-password",
    "data-not-found-auth",
    "email-tidak-bisa-dibuka",
    "nip-lama",
    "nip-excel",
}
ALL_IDS = set(SEED) | OTHERS


def faq_json(cli: CLI, *args: str) -> dict[str, Any]:
    run = cli("faq", *args, "--format", "json")
    assert run.exit_code == 0
    assert run.stderr == ""
    doc: dict[str, Any] = run.json()
    return doc


# --------------------------------------------------------------------- listing


def test_list_text(cli: CLI) -> None:
    run = cli("faq", env=WIDE)
    assert run.exit_code == 0
    listed = {line.split()[0] for line in run.stdout.splitlines()[1:] if line.startswith("  ")}
    assert listed >= ALL_IDS
    assert len(listed) >= 11
    assert 'Muncul pesan "Operasi Gagal"' in run.stdout
    # Seed entries show their original FAQ number.
    (line,) = [line for line in run.stdout.splitlines() if line.split()[:1] == ["operasi-gagal"]]
    assert re.match(r"\s*operasi-gagal\s+3\s+Muncul", line)


def test_list_json(cli: CLI) -> None:
    doc = faq_json(cli)
    assert set(doc) == {"schema_version", "query", "entries"}
    assert doc["schema_version"] == 1
    assert doc["query"] is None
    entries = doc["entries"]
    assert len(entries) >= 11
    for entry in entries:
        assert set(entry) == {"id", "number", "title", "score"}
        assert entry["score"] is None
        assert isinstance(entry["title"], str) and entry["title"]
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids))
    assert set(ids) >= ALL_IDS
    numbers = {entry["id"]: entry["number"] for entry in entries}
    for entry_id, number in SEED.items():
        assert numbers[entry_id] == number
    assert all(numbers[entry_id] is None for entry_id in OTHERS)
    # File order: the seed FAQ first, as numbered.
    assert ids[:5] == list(SEED)


# --------------------------------------------------------------------- one entry


def test_show_entry_by_id(cli: CLI) -> None:
    run = cli("faq", "operasi-gagal", "--lang", "en", env=WIDE)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0] == 'The message "Operasi Gagal" (Operation failed)  (operasi-gagal, FAQ 3)'
    steps = [line for line in lines[1:] if re.match(r"  \d+\. ", line)]
    assert [line.split(".")[0].strip() for line in steps] == ["1", "2", "3", "4"]
    assert "Delete every space before and after the email address" in steps[1]
    assert "email-tidak-sesuai" not in run.stdout.split("\n", 1)[0]


def test_show_entry_fills_region_values(cli: CLI) -> None:
    run = cli("faq", "email-tidak-sesuai", env=WIDE)
    assert run.exit_code == 0
    assert "bkpp.sumbawakab.go.id/ip-pegawai" in run.stdout
    assert "Modul update data mandiri pegawai: bkpp.sumbawakab.go.id/ip-pegawai" in run.stdout
    assert "Aplikasi admin unit kerja: bkpp.sumbawakab.go.id/ip-asn" in run.stdout
    assert "{" not in run.stdout


def test_show_entry_without_seed_number(cli: CLI) -> None:
    run = cli("faq", "token-salah", "--lang", "en", env=WIDE)
    assert run.exit_code == 0
    assert (
        run.stdout.splitlines()[0]
        == "The reset token or code is refused or mistyped  (token-salah)"
    )
    assert "  6. " in run.stdout


@pytest.mark.parametrize("spelled", ["OPERASI-GAGAL", " operasi-gagal "])
def test_id_any_case_and_spacing(cli: CLI, spelled: str) -> None:
    doc = faq_json(cli, spelled)
    assert doc["query"] == spelled
    assert doc["entries"] == [
        {
            "id": "operasi-gagal",
            "number": 3,
            "title": 'Muncul pesan "Operasi Gagal"',
            "score": 100.0,
        }
    ]


@pytest.mark.parametrize("entry_id", sorted(ALL_IDS))
def test_every_entry_shows_numbered_steps(cli: CLI, entry_id: str) -> None:
    run = cli("faq", entry_id, env=WIDE)
    assert run.exit_code == 0
    assert f"({entry_id}" in run.stdout.splitlines()[0]
    assert "\n  1. " in run.stdout
    assert not re.search(r"\{[a-z_]+\}", run.stdout)


# --------------------------------------------------------------------- a pasted message


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Operasi Gagal", "operasi-gagal"),
        ("OPERASI GAGAL!!", "operasi-gagal"),
        ("operasi gagal data email tdk sesuai", "email-tidak-sesuai"),
        (
            "Ooops, Operasi Gagal, Data not found in AUTH BKN (Username dan password tidak sesuai)",
            "data-not-found-auth",
        ),
        ("Token tidak masuk ke email", "token-tidak-diterima"),
        ("tombol reset password tidak ada respon", "reset-tidak-merespon"),
        ("NIP di excel jadi 1,98501E+17", "nip-excel"),
        ("password baru ditolak", "syarat-password"),
        ("email lama tdk bisa dibuka", "email-tidak-bisa-dibuka"),
        ("the token email never arrives", "token-tidak-diterima"),
    ],
)
def test_pasted_message_ranks_the_right_entry_first(cli: CLI, message: str, expected: str) -> None:
    doc = faq_json(cli, message)
    assert doc["query"] == message
    entries = doc["entries"]
    assert entries[0]["id"] == expected
    scores = [entry["score"] for entry in entries]
    assert all(isinstance(score, float) for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert scores[0] >= 70
    assert scores[0] > scores[1]


def test_pasted_message_text_shows_the_best_entry_then_others(cli: CLI) -> None:
    run = cli("faq", "operasi gagal data email tdk sesuai", "--lang", "en", env=WIDE)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert "(email-tidak-sesuai, FAQ 4)" in lines[0]
    assert "  1. The email you typed differs" in run.stdout
    assert "Other possible entries:" in run.stdout
    others = run.stdout.split("Other possible entries:", 1)[1]
    assert "email-tidak-sesuai" not in others
    assert len([line for line in others.splitlines() if line.startswith("  ")]) == 3


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("id", "Tidak ada entri FAQ yang cukup cocok."),
        ("en", "No FAQ entry matches well enough."),
    ],
)
@pytest.mark.parametrize("query", ["xyzzy qwerty plugh", "zzzz", "!!!"])
def test_nonsense_query(cli: CLI, lang: str, sentence: str, query: str) -> None:
    run = cli("faq", query, "--lang", lang, env=WIDE)
    assert run.exit_code == 0
    assert run.stderr == ""
    assert run.stdout.startswith(sentence)
    assert "  1. " not in run.stdout  # no entry shown as if it were the answer


def test_nonsense_query_json_has_only_weak_scores(cli: CLI) -> None:
    doc = faq_json(cli, "xyzzy qwerty plugh")
    assert doc["query"] == "xyzzy qwerty plugh"
    assert all(entry["score"] < 70 for entry in doc["entries"])


# --------------------------------------------------------------------- language


EN_TITLES = {
    "operasi-gagal": 'The message "Operasi Gagal" (Operation failed)',
    "aktivasi-akun": "How to activate the account (MySAPK, MyASN, ASN Digital)",
    "token-salah": "The reset token or code is refused or mistyped",
    "mfa-kode-salah": 'The message "Invalid Authenticator Code" (the MFA/OTP code is refused)',
    "syarat-password": "Rules for the new password",
}


def test_english_titles_json(cli: CLI) -> None:
    english = {e["id"]: e["title"] for e in faq_json(cli, "--lang", "en")["entries"]}
    indonesian = {e["id"]: e["title"] for e in faq_json(cli, "--lang", "id")["entries"]}
    for entry_id, title in EN_TITLES.items():
        assert english[entry_id] == title
    assert set(english) == set(indonesian)
    assert all(english[i] != indonesian[i] for i in english)


def test_english_titles_text(cli: CLI) -> None:
    run = cli("faq", "--lang", "en", env=WIDE)
    assert run.exit_code == 0
    assert run.stdout.splitlines()[0] == "sapkcheck FAQ (id, original FAQ number, title)"
    for title in EN_TITLES.values():
        assert title in run.stdout
    assert "Syarat password baru" not in run.stdout


def test_english_from_environment(cli: CLI) -> None:
    run = cli("faq", "syarat-password", env={**WIDE, "SAPKCHECK_LANG": "en"})
    assert run.exit_code == 0
    assert run.stdout.startswith("Rules for the new password")
    assert "Password rule in force (ASN Digital): at least 12 characters" in run.stdout


def test_unknown_language_exits_2(cli: CLI) -> None:
    run = cli("faq", "--lang", "jv")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "jv" not in run.stderr
    assert "--lang" in run.stderr
