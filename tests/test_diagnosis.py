"""`check --message` and the remedies: from what the user saw and typed to what to do."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sapkcheck.diagnosis import NEXT_LIKELY, email_ruled_out, rank_remedies
from sapkcheck.findings import Finding, Severity, make_finding
from sapkcheck.knowledge.faq import load_faq
from tests.helpers import Run

CLI = Callable[..., Run]
WIDE = {"COLUMNS": "200"}

OPERASI_GAGAL = "Operasi Gagal"
TIDAK_SESUAI = "Operasi gagal, data email yang dimasukkan tidak sesuai"
EMAIL = "eli.sari@gmail.com"
OTHER = "eli.sari87@yahoo.co.id"
HINT_FITS = "eli*****@gmail.com"
HINT_WRONG = "sar*****@gmail.com"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
SUMBAWA_SELF_UPDATE = "bkpp.sumbawakab.go.id/ip-pegawai"
SUMBAWA_ADMIN = "bkpp.sumbawakab.go.id/ip-asn"


def check_json(cli: CLI, *args: str, lang: str = "en") -> tuple[int, dict[str, Any]]:
    run = cli("check", *args, "--format", "json", "--lang", lang)
    assert run.stderr == ""
    return run.exit_code, run.json()


def remedy_ids(doc: dict[str, Any]) -> list[str]:
    return [remedy["faq"] for remedy in doc["remedies"]]


def finding(doc: dict[str, Any], code: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [f for f in doc["findings"] if f["code"] == code]
    (found,) = matches
    return found


# --------------------------------------------------------------------- "Operasi Gagal"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_operasi_gagal_with_trailing_space(cli: CLI, lang: str) -> None:
    code, doc = check_json(cli, "--message", OPERASI_GAGAL, "--email", EMAIL + " ", lang=lang)
    assert code == 1
    assert doc["message"] == {
        "input": OPERASI_GAGAL,
        "faq": "operasi-gagal",
        "maybe": [],
        "quoted": "Operasi Gagal",
    }
    recognized = finding(doc, "message-recognized")
    assert recognized["severity"] == "info"
    assert recognized["field"] == "message"
    assert finding(doc, "email-trailing-space")["severity"] == "error"
    assert doc["remedies"][0]["faq"] == "operasi-gagal"
    assert "email-tidak-sesuai" not in remedy_ids(doc)


def test_operasi_gagal_trailing_space_but_same_address_as_registered(cli: CLI) -> None:
    """The address is right, the space is the cause: the message's entry applies."""
    code, doc = check_json(
        cli, "--message", OPERASI_GAGAL, "--email", EMAIL + "  ", "--registered", EMAIL
    )
    assert code == 1
    assert remedy_ids(doc)[0] == "operasi-gagal"
    assert "email-tidak-sesuai" not in remedy_ids(doc)
    assert "does not apply" not in finding(doc, "message-recognized")["message"]


# --------------------------------------------------------------------- "data email tidak sesuai"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_tidak_sesuai_email_differs_from_registered(cli: CLI, lang: str) -> None:
    code, doc = check_json(
        cli, "--message", TIDAK_SESUAI, "--email", EMAIL, "--registered", OTHER, lang=lang
    )
    assert code == 1
    assert doc["message"]["faq"] == "email-tidak-sesuai"
    assert finding(doc, "email-mismatch")["severity"] == "error"
    assert remedy_ids(doc)[0] == "email-tidak-sesuai"
    first = doc["remedies"][0]
    assert any(SUMBAWA_SELF_UPDATE in step for step in first["steps"])
    assert SUMBAWA_SELF_UPDATE in first["links"]
    assert SUMBAWA_ADMIN in first["links"]


@pytest.mark.parametrize("hint", [HINT_WRONG, "eli*****@yahoo.com"])
def test_tidak_sesuai_email_does_not_fit_hint(cli: CLI, hint: str) -> None:
    code, doc = check_json(cli, "--message", TIDAK_SESUAI, "--email", EMAIL, "--hint", hint)
    assert code == 1
    assert finding(doc, "email-hint-mismatch")["severity"] == "error"
    assert remedy_ids(doc)[0] == "email-tidak-sesuai"


def test_operasi_gagal_but_clean_email_differs(cli: CLI) -> None:
    """The checks name the real cause first; the message's entry still follows."""
    code, doc = check_json(cli, "--message", OPERASI_GAGAL, "--email", EMAIL, "--registered", OTHER)
    assert code == 1
    assert remedy_ids(doc) == ["email-tidak-sesuai", "operasi-gagal"]


# --------------------------------------------------------------------- email ruled out


@pytest.mark.parametrize("message", [OPERASI_GAGAL, TIDAK_SESUAI])
@pytest.mark.parametrize("compare", [("--registered", EMAIL), ("--hint", HINT_FITS)])
@pytest.mark.parametrize(
    ("lang", "sentence"),
    [("en", "the checks show that cause does not apply here"), ("id", "tidak berlaku")],
)
def test_clean_matching_email_rules_the_email_out(
    cli: CLI, message: str, compare: tuple[str, str], lang: str, sentence: str
) -> None:
    code, doc = check_json(cli, "--message", message, "--email", EMAIL, *compare, lang=lang)
    assert code == 0
    assert doc["status"] == "ok"
    ids = remedy_ids(doc)
    assert "operasi-gagal" not in ids
    assert "email-tidak-sesuai" not in ids
    assert ids[0] == "reset-tidak-merespon"
    assert ids == list(NEXT_LIKELY)
    recognized = finding(doc, "message-recognized")
    assert sentence in recognized["message"]
    assert doc["message"]["faq"] in {"operasi-gagal", "email-tidak-sesuai"}


def test_capitals_only_difference_is_not_ruled_out(cli: CLI) -> None:
    code, doc = check_json(
        cli, "--message", TIDAK_SESUAI, "--email", EMAIL, "--registered", EMAIL.upper()
    )
    assert code == 0  # a warning only
    assert finding(doc, "email-case-differs")["severity"] == "warning"
    assert remedy_ids(doc)[0] == "email-tidak-sesuai"
    assert "does not apply" not in finding(doc, "message-recognized")["message"]


def test_ruled_out_email_with_a_token_error(cli: CLI) -> None:
    code, doc = check_json(
        cli,
        "--message",
        OPERASI_GAGAL,
        "--email",
        EMAIL,
        "--registered",
        EMAIL,
        "--token",
        "AFM4TK1 ",
    )
    assert code == 1
    ids = remedy_ids(doc)
    assert ids[0] == "token-salah"
    assert ids.count("token-salah") == 1
    assert "operasi-gagal" not in ids
    assert "reset-tidak-merespon" in ids


# --------------------------------------------------------------------- unknown messages


@pytest.mark.parametrize(
    "message", ["aplikasi tiba-tiba keluar sendiri", "layar putih saja", "op", ""]
)
def test_unrelated_message_is_a_warning(cli: CLI, message: str) -> None:
    code, doc = check_json(cli, "--message", message, "--nip", "198609262015051001")
    assert code == 0
    assert doc["status"] == "ok"
    assert doc["message"]["input"] == message
    assert doc["message"]["faq"] is None
    unknown = finding(doc, "message-unknown")
    assert unknown["severity"] == "warning"
    assert "Syaifullah" in unknown["remedy"]  # the profile's helpdesk, filled in
    assert doc["remedies"] == []


def test_unrelated_message_with_another_error_exits_1(cli: CLI) -> None:
    code, doc = check_json(cli, "--message", "aplikasi tiba-tiba keluar sendiri", "--token", "")
    assert code == 1
    assert {f["code"] for f in doc["findings"]} == {"message-unknown", "token-missing"}


# --------------------------------------------------------------------- messages as pasted


@pytest.mark.parametrize(
    ("message", "faq"),
    [
        ("OPERASI GAGAL!!", "operasi-gagal"),
        ("operasi gagal", "operasi-gagal"),
        ("  Operasi Gagal \n", "operasi-gagal"),
        ("Opersi Gagal", "operasi-gagal"),
        ("Operation failed", "operasi-gagal"),
        ("operasi gagal data email tdk sesuai", "email-tidak-sesuai"),
        ("Operasi gagal,data email yg dimasukan tidak sesuai", "email-tidak-sesuai"),
        ("operasi gagal, data email yang dimasukkan tidak sesuai.", "email-tidak-sesuai"),
        ("Data not found in AUTH BKN", "data-not-found-auth"),
        ("data not found in auth bkn", "data-not-found-auth"),
        (
            "Ooops, Operasi Gagal, Data not found in AUTH BKN (Username dan password tidak sesuai)",
            "data-not-found-auth",
        ),
        ("token tdk masuk2", "token-tidak-diterima"),
    ],
)
def test_pasted_messages_are_recognised(cli: CLI, message: str, faq: str) -> None:
    code, doc = check_json(cli, "--message", message)
    assert code == 0
    assert {key: doc["message"][key] for key in ("input", "faq")} == {"input": message, "faq": faq}
    assert finding(doc, "message-recognized")["faq"] == faq
    assert remedy_ids(doc) == [faq]


def test_message_from_stdin(cli: CLI) -> None:
    run = cli("check", "--message", "-", "--format", "json", input="OPERASI GAGAL!!\r\n")
    assert run.exit_code == 0
    assert run.json()["message"] == {
        "input": "OPERASI GAGAL!!",
        "faq": "operasi-gagal",
        "maybe": [],
        "quoted": "Operasi Gagal",
    }


# --------------------------------------------------------------------- text output


def _remedy_blocks(stdout: str, first: str, also: str) -> list[list[str]]:
    """The remedy sections of a text report: heading line, then its indented lines."""
    blocks: list[list[str]] = []
    for line in stdout.splitlines():
        if line.startswith((first, also)):
            blocks.append([line])
        elif blocks and line.startswith("  "):
            blocks[-1].append(line)
    return blocks


def _heading_faq(heading: str) -> str:
    match = re.search(r"\(FAQ: ([a-z-]+)\)$", heading)
    assert match, heading
    return match.group(1)


HEADINGS = {"id": ("Yang perlu dilakukan:", "Juga periksa:"), "en": ("What to do:", "Also check:")}
SUMMARY = {"id": ("✓ Tidak ada kesalahan.", "✗ "), "en": ("✓ No errors.", "✗ ")}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_text_ends_with_numbered_steps_with_region_values(cli: CLI, lang: str) -> None:
    run = cli(
        "check",
        "--message",
        TIDAK_SESUAI,
        "--email",
        EMAIL,
        "--registered",
        OTHER,
        "--lang",
        lang,
        env=WIDE,
    )
    assert run.exit_code == 1
    first, also = HEADINGS[lang]
    lines = run.stdout.rstrip("\n").splitlines()
    (block,) = _remedy_blocks(run.stdout, first, also)
    assert "(FAQ: email-tidak-sesuai)" in block[0]
    steps = [line for line in block[1:] if re.match(r"  \d+\. ", line)]
    assert [int(line.split(".")[0]) for line in steps] == list(range(1, len(steps) + 1))
    assert len(steps) == 5
    step3 = " ".join(block[block.index(steps[2]) : block.index(steps[3])])
    assert SUMBAWA_SELF_UPDATE in step3 and SUMBAWA_ADMIN in step3
    assert "BKPP Kabupaten Sumbawa" in steps[3]
    assert "SIASN" in steps[3]  # admins change emails in SIASN today, not by an import
    # The remedy comes after every finding, and only the summary follows it.
    assert lines.index(block[0]) > max(i for i, line in enumerate(lines) if "[email-" in line)
    assert lines[-1].startswith(SUMMARY[lang][1])
    assert lines.index(block[-1]) == len(lines) - 3 and lines[-2] == ""
    assert not PLACEHOLDER.search(run.stdout)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_text_ruled_out_offers_next_causes_in_order(cli: CLI, lang: str) -> None:
    run = cli(
        "check",
        "--message",
        OPERASI_GAGAL,
        "--email",
        EMAIL,
        "--registered",
        EMAIL,
        "--lang",
        lang,
        env=WIDE,
    )
    assert run.exit_code == 0
    first, also = HEADINGS[lang]
    blocks = _remedy_blocks(run.stdout, first, also)
    # The most likely cause with its steps; the next likely ones by title, in order.
    assert [block[0].split()[0] for block in blocks] == [first.split()[0], also.split()[0]]
    assert _heading_faq(blocks[0][0]) == NEXT_LIKELY[0]
    assert blocks[0][1].startswith("  1. ")
    listed = [_heading_faq(line) for line in blocks[1] if line.startswith("  - ")]
    assert listed == list(NEXT_LIKELY[1:])
    # The user reported a failure and the fields look right: the cause is elsewhere.
    summary = run.stdout.rstrip("\n").split("\n\n")[-1]
    assert summary.startswith("✓ ") and SUMMARY[lang][0] not in summary
    # JSON keeps every remedy's steps: data-not-found-auth asks the helpdesk.
    document = cli(*run_args_json(lang)).json()
    assert "Syaifullah" in document["remedies"][-1]["steps"][-1]


def run_args_json(lang: str) -> tuple[str, ...]:
    args = ("check", "--message", OPERASI_GAGAL, "--email", EMAIL, "--registered", EMAIL)
    return (*args, "--lang", lang, "--format", "json")


def _template_profile(tmp_path: Path) -> Path:
    from sapkcheck.knowledge.profile import PROFILE_TEMPLATE

    path = tmp_path / "contoh.toml"
    path.write_text(PROFILE_TEMPLATE, encoding="utf-8")
    return path


INVOCATIONS: list[list[str]] = [
    ["check", "--message", TIDAK_SESUAI, "--email", EMAIL, "--registered", OTHER],
    ["check", "--message", OPERASI_GAGAL, "--email", EMAIL, "--registered", EMAIL],
    ["check", "--message", "aplikasi tiba-tiba keluar sendiri"],
    ["check", "--email", EMAIL + " ", "--hint", HINT_WRONG, "--token", "AFM 4TK1"],
    ["check", "--nip", "19861326 201505 3 001", "--message", "Data not found in AUTH BKN"],
    ["check", "--token", "", "--message", "token tidak masuk"],
    ["faq"],
    *(["faq", entry.id] for entry in load_faq()),
    ["faq", "email lama tdk bisa dibuka"],
    ["profile"],
]


@pytest.mark.parametrize("output_format", ["text", "json"])
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("args", INVOCATIONS, ids=lambda args: " ".join(args)[:40])
def test_no_placeholder_is_ever_left_unfilled(
    cli: CLI, args: list[str], lang: str, output_format: str
) -> None:
    run = cli(*args, "--lang", lang, "--format", output_format, env=WIDE)
    assert run.exit_code in (0, 1)
    assert not PLACEHOLDER.search(run.stdout), PLACEHOLDER.findall(run.stdout)
    assert not PLACEHOLDER.search(run.stderr)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_password_remedy_placeholders_filled(cli: CLI, lang: str) -> None:
    run = cli("password", "--stdin", "--lang", lang, input="abc\n", env=WIDE)
    assert run.exit_code == 1
    assert not PLACEHOLDER.search(run.stdout + run.stderr)


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_other_profile_values_fill_the_remedies(
    cli: CLI, tmp_path: Path, output_format: str
) -> None:
    region = _template_profile(tmp_path)
    run = cli(
        "check",
        "--message",
        TIDAK_SESUAI,
        "--email",
        EMAIL,
        "--registered",
        OTHER,
        "--profile",
        str(region),
        "--format",
        output_format,
        env=WIDE,
    )
    assert run.exit_code == 1
    assert "kepegawaian.contohkab.example/ip-pegawai" in run.stdout
    assert "sumbawakab" not in run.stdout
    assert not PLACEHOLDER.search(run.stdout)


# --------------------------------------------------------------------- rank_remedies, pure


def f(code: str, **params: Any) -> Finding:
    return make_finding(code, **params)


def test_rank_nothing() -> None:
    assert rank_remedies([], None) == []


def test_rank_message_alone() -> None:
    assert rank_remedies([], "operasi-gagal") == ["operasi-gagal"]


def test_rank_message_confirmed_by_a_finding_comes_first() -> None:
    findings = [f("nip-old-format"), f("email-trailing-space")]
    assert rank_remedies(findings, "operasi-gagal") == ["operasi-gagal", "nip-lama"]


def test_rank_errors_before_the_unconfirmed_message() -> None:
    findings = [f("email-mismatch")]
    assert rank_remedies(findings, "operasi-gagal") == ["email-tidak-sesuai", "operasi-gagal"]


def test_rank_errors_before_warnings_whatever_the_order_given() -> None:
    findings = [f("email-case-differs"), f("token-whitespace")]
    assert findings[0].severity is Severity.WARNING
    assert rank_remedies(findings, None) == ["token-salah", "email-tidak-sesuai"]


def test_rank_no_duplicates() -> None:
    findings = [f("token-whitespace"), f("token-confusable"), f("token-invisible-char")]
    assert rank_remedies(findings, "token-salah") == ["token-salah"]


def test_rank_info_findings_bring_no_remedy() -> None:
    info = Finding(code="nip-old-format", severity=Severity.INFO, field="nip", faq="nip-lama")
    assert rank_remedies([info], None) == []


def test_rank_ignores_message_findings() -> None:
    recognized = f("message-recognized", faq="token-salah", entry="token-salah", title="t")
    unknown = Finding(
        code="message-unknown", severity=Severity.ERROR, field="message", faq="nip-excel"
    )
    assert rank_remedies([recognized, unknown], None) == []


@pytest.mark.parametrize("confirmation", ["email-matches-registered", "email-hint-match"])
@pytest.mark.parametrize("message", ["operasi-gagal", "email-tidak-sesuai", None])
def test_rank_email_ruled_out(confirmation: str, message: str | None) -> None:
    findings = [f(confirmation, hint=HINT_FITS), f("email-uppercase")]
    assert email_ruled_out(findings)
    assert rank_remedies(findings, message) == list(NEXT_LIKELY)


def test_rank_email_ruled_out_keeps_other_errors_first() -> None:
    findings = [f("email-matches-registered"), f("nip-excel-damaged"), f("token-confusable")]
    assert rank_remedies(findings, "email-tidak-sesuai") == [
        "nip-excel",
        "token-salah",
        "reset-tidak-merespon",
        "syarat-password",
        "data-not-found-auth",
    ]


@pytest.mark.parametrize("trouble", ["email-domain-typo", "email-trailing-space"])
def test_rank_email_not_ruled_out_when_troubled(trouble: str) -> None:
    findings = [f("email-matches-registered"), f(trouble)]
    assert not email_ruled_out(findings)
    ranked = rank_remedies(findings, "operasi-gagal")
    assert ranked[0] == "operasi-gagal"
    assert "reset-tidak-merespon" not in ranked


def test_rank_email_not_ruled_out_without_confirmation() -> None:
    findings = [f("email-uppercase")]
    assert not email_ruled_out(findings)
    assert rank_remedies(findings, "email-tidak-sesuai") == ["email-tidak-sesuai"]


def test_rank_every_id_is_a_faq_entry() -> None:
    ids = {entry.id for entry in load_faq()}
    assert set(NEXT_LIKELY) <= ids
    findings = [f("email-matches-registered"), f("nip-old-format"), f("token-missing")]
    assert set(rank_remedies(findings, "jadwal-pemutakhiran")) <= ids


def test_values_written_in_the_message_are_checked(cli: CLI) -> None:
    message = "muncul operasi gagal, nip 19860926 201505 1 001 email eli.sari@gmail.com "
    code, doc = check_json(cli, "--message", message)
    assert code == 1
    assert doc["nip"]["normalized"] == "198609262015051001"
    assert doc["email"]["input"] == "eli.sari@gmail.com "  # exactly as written
    assert finding(doc, "email-trailing-space")["severity"] == "error"
    assert "NIP, email" in finding(doc, "message-values")["message"]


def test_options_win_over_values_in_the_message(cli: CLI) -> None:
    message = "operasi gagal, email salah@gmail.com"
    _code, doc = check_json(cli, "--message", message, "--email", "eli.sari@gmail.com")
    assert doc["email"]["input"] == "eli.sari@gmail.com"
    assert not [f for f in doc["findings"] if f["code"] == "message-values"]
