"""The short text for staff (--brief), the marks legend, and a clean check after a
reported failure."""

from __future__ import annotations

from sapkcheck.knowledge.i18n import catalog
from tests.helpers import run_cli

CLEAN = ("--nip", "19860926 201505 1 001", "--email", "eli.sari@gmail.com")
HINT = ("--hint", "eli*****@gmail.com", "--message", "Operasi Gagal")


def check(*args: str, lang: str = "id") -> str:
    run = run_cli("check", *args, "--color", "never", "--lang", lang)
    assert run.exit_code in (0, 1), run.stderr
    return run.stdout


def test_brief_error_gives_the_cause_and_its_remedy_only() -> None:
    out = check("--email", "eli.sari@gmail.com ", "--message", "Operasi Gagal", "--brief")
    lines = out.splitlines()
    assert lines[0].startswith("Penyebab paling mungkin: Ada 1 spasi di belakang email")
    assert "Langkah berikutnya:" in lines
    assert "Hapus spasi di belakang alamat email" in out
    assert "[email-" not in out and "Juga periksa" not in out
    assert len(lines) <= 8


def test_brief_without_error_gives_the_first_remedy_and_two_steps() -> None:
    out = check(*CLEAN, *HINT, "--brief")
    assert out.startswith("Penyebab paling mungkin: ")
    assert "  1. " in out and "  2. " in out and "  3. " not in out


def test_brief_clean_and_english() -> None:
    out = check("--nip", "198609262015051001", "--brief", lang="en")
    assert out.splitlines()[0].endswith(catalog("en").ui("brief-ok"))


def test_brief_keeps_json_whole() -> None:
    full = run_cli("check", *CLEAN, *HINT, "--format", "json")
    brief = run_cli("check", *CLEAN, *HINT, "--format", "json", "--brief")
    assert brief.stdout == full.stdout


def test_marks_come_with_a_legend_line() -> None:
    out = check("--nip", "19860926 201505 1 001")
    assert "␣" in out
    assert "Keterangan tanda: ␣ = spasi." in out
    invisible = check("--email", "eli\u200b@gmail.com", lang="en")
    assert "⟨U+200B⟩ = invisible character" in invisible
    assert "Keterangan tanda" not in check("--nip", "198609262015051001")


def test_clean_check_after_a_reported_failure_points_elsewhere() -> None:
    out = check(*CLEAN, *HINT)
    summary = out.splitlines()[-2:]
    assert "Tidak ada kesalahan" not in out
    assert "kemungkinan di tempat lain" in " ".join(summary)
    plain = check(*CLEAN)
    assert "Tidak ada kesalahan" in plain


def test_clean_check_with_a_hint_is_short() -> None:
    out = check(*CLEAN, *HINT)
    # 54 lines before; the ASN Digital steps (issue 12) are longer than the 2021 ones
    assert len(out.splitlines()) <= 45
    assert "Juga periksa:" in out
    assert "  - Token atau kode reset ditolak" in out  # the other remedies by title only
    # info findings without their remedy lines (FAQ steps may hold menu arrows)
    assert not any(line.lstrip().startswith("→") for line in out.splitlines())
