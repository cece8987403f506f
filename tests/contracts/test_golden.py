"""Golden documents: every command's text and JSON output, in both languages, byte for byte.

They guard refactors: a change of output must be deliberate. Regenerate after an intended
change with ``SAPKCHECK_REGEN_GOLDEN=1 python -m pytest tests/contracts/test_golden.py`` and
review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import run_cli

GOLDEN = Path(__file__).parent / "golden"
STAFF_CSV = (
    "NIP;EMAIL;EMAIL SAPK\n"
    "19860926 201505 1 001;eli.sari@gmail.com ;eli.sari@gmail.com\n"
    "198609262015051002;budi@gmial.com;budi@gmail.com\n"
    "19860926201505100;citra@yahoo.co.id;citra@yahoo.co.id\n"
    "198609262015051002;dedi@gmail.com;dedi@gmail.com\n"
    ";;\n"
)

CASES: dict[str, tuple[list[str], str | None]] = {
    "check-nip-ok": (["check", "--nip", "19860926 201505 1 001"], None),
    "check-nip-bad": (["check", "--nip", "1986092620150510O1"], None),
    "check-nip-excel": (["check", "--nip", "1.98609E+17"], None),
    "check-email-space": (
        ["check", "--email", "eli.sari@gmail.com ", "--registered", "eli.sari@gmail.com"],
        None,
    ),
    "check-email-hint": (
        ["check", "--email", "eli@gmial.com", "--hint", "eli*****@gmail.com"],
        None,
    ),
    "check-all-ok": (
        [
            "check",
            "--nip",
            "19860926 201505 1 001",
            "--email",
            "eli.sari@gmail.com",
            "--registered",
            "eli.sari@gmail.com",
            "--message",
            "Operasi Gagal",
        ],
        None,
    ),
    "check-token": (["check", "--token", "AB12\u200bCD "], None),
    "check-message-unknown": (["check", "--message", "gaji belum cair"], None),
    "check-stdin": (["check", "--email", "-"], "eli.sari@gmail.com \n"),
    "explain-code": (["explain", "nip-serial"], None),
    "explain-list": (["explain"], None),
    "faq-list": (["faq"], None),
    "faq-id": (["faq", "operasi-gagal"], None),
    "faq-search": (["faq", "token tidak masuk ke email"], None),
    "profile": (["profile"], None),
    "password-weak": (["password", "--stdin"], "rahasia\n"),
    "password-ok": (["password", "--stdin", "--policy", "asn-digital"], "Rahasia-Kuat-2026!\n"),
}
BATCH_FORMATS = ("text", "json", "jsonl", "csv")
TRIAGE_FORMATS = ("text", "json", "reply")
TRIAGE_CHAT = (
    "02/12/26 09.15 - Eli Sari: Assalamualaikum pak\n"
    "02/12/26 09.16 - Eli Sari: sy mau reset pw mysapk kok muncul operasi gagal trs ya 🙏\n"
    "nip 19860926 201505 1 001\n"
    "email eli.sari@gmail.com \n"
    "02/12/26 09.20 - Admin BKPSDM: sebentar sy cek bu\n"
    "02/12/26 09.21 - +62 812-3456-7890: token blm masuk2 ke email min udh 2 jam\n"
    "02/12/26 09.25 - Budi: pak tpp bulan ini kapan cair?\n"
    "02/12/26 09.26 - Budi: gimana ya pak\n"
    "02/12/26 09.30 - Citra: pak mysapk sy bermasalah\n"
)


def _compare(name: str, output: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("SAPKCHECK_REGEN_GOLDEN"):
        path.write_text(output, encoding="utf-8", newline="")
    assert path.exists(), f"no golden document {path.name}: regenerate (see module docstring)"
    assert output == path.read_bytes().decode("utf-8"), name


def _document(exit_code: int, stdout: str, stderr: str) -> str:
    return f"exit: {exit_code}\n--- stdout\n{stdout}--- stderr\n{stderr}"


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_command_output_equals_golden(case: str, lang: str, fmt: str) -> None:
    args, stdin = CASES[case]
    run = run_cli(*args, "--lang", lang, "--format", fmt, "--color", "never", input=stdin)
    _compare(f"{case}.{lang}.{fmt}", _document(run.exit_code, run.stdout, run.stderr))


@pytest.mark.parametrize("fmt", BATCH_FORMATS)
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("mask", [False, True])
def test_batch_output_equals_golden(tmp_path: Path, fmt: str, lang: str, mask: bool) -> None:
    source = tmp_path / "staff.csv"
    source.write_text(STAFF_CSV, encoding="utf-8")
    extra = ["--mask"] if mask else []
    args = ["batch", str(source), "--format", fmt, "--lang", lang, "--jobs", "1", *extra]
    run = run_cli(*args, "--color", "never")
    stdout, stderr = (s.replace(str(tmp_path), "<tmp>") for s in (run.stdout, run.stderr))
    _compare(
        f"batch{'-mask' if mask else ''}.{lang}.{fmt}", _document(run.exit_code, stdout, stderr)
    )


@pytest.mark.parametrize("fmt", TRIAGE_FORMATS)
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("mask", [False, True])
def test_triage_output_equals_golden(tmp_path: Path, fmt: str, lang: str, mask: bool) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(TRIAGE_CHAT, encoding="utf-8")
    extra = ["--mask"] if mask else []
    args = ["triage", "--chat", str(chat), "--admin", "Admin BKPSDM", "--format", fmt]
    run = run_cli(*args, "--lang", lang, "--color", "never", *extra)
    stdout, stderr = (s.replace(str(tmp_path), "<tmp>") for s in (run.stdout, run.stderr))
    _compare(
        f"triage{'-mask' if mask else ''}.{lang}.{fmt}", _document(run.exit_code, stdout, stderr)
    )


def test_profile_template_equals_golden() -> None:
    run = run_cli("profile", "--template")
    _compare("profile-template", _document(run.exit_code, run.stdout, run.stderr))


def test_every_golden_document_is_used() -> None:
    expected = {
        f"{c}.{lang}.{fmt}" for c in CASES for lang in ("id", "en") for fmt in ("text", "json")
    }
    expected |= {
        f"batch{m}.{lang}.{fmt}"
        for m in ("", "-mask")
        for lang in ("id", "en")
        for fmt in BATCH_FORMATS
    }
    expected |= {
        f"triage{m}.{lang}.{fmt}"
        for m in ("", "-mask")
        for lang in ("id", "en")
        for fmt in TRIAGE_FORMATS
    }
    expected.add("profile-template")
    assert {p.stem for p in GOLDEN.glob("*.txt")} == expected
