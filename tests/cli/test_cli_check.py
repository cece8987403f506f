from __future__ import annotations

from collections.abc import Callable

import pytest

from sapkcheck import __version__
from tests.helpers import Run

CLI = Callable[..., Run]
GOOD = "19860926 201505 1 001"


def test_good_nip_text_indonesian(cli: CLI) -> None:
    run = cli("check", "--nip", GOOD)
    assert run.exit_code == 0
    assert "PNS, lahir 1986-09-26, TMT CPNS 2015-05, laki-laki, nomor urut 001" in run.stdout
    assert "Tidak ada kesalahan" in run.stdout
    assert run.stderr == ""


def test_good_nip_text_english(cli: CLI) -> None:
    run = cli("check", "--nip", GOOD, "--lang", "en")
    assert run.exit_code == 0
    assert "born 1986-09-26" in run.stdout
    assert "No errors" in run.stdout


def test_lang_from_environment_not_from_LANG(cli: CLI) -> None:
    assert "born" in cli("check", "--nip", GOOD, env={"SAPKCHECK_LANG": "en"}).stdout
    assert "lahir" in cli("check", "--nip", GOOD, env={"LANG": "en_US.UTF-8"}).stdout
    assert (
        "lahir" in cli("check", "--nip", GOOD, "--lang", "id", env={"SAPKCHECK_LANG": "en"}).stdout
    )


def test_bad_nip_text_names_digits_and_remedy(cli: CLI) -> None:
    run = cli("check", "--nip", "19861326 201505 3 001", "--lang", "en")
    assert run.exit_code == 1
    assert "[nip-birth-date]" in run.stdout
    assert "Digits 5-6 ('13') are birth month 13" in run.stdout
    assert "[nip-sex]" in run.stdout
    assert "→" in run.stdout or "->" in run.stdout
    assert "2 error(s)" in run.stdout


def test_json_contract(cli: CLI) -> None:
    run = cli("check", "--nip", "NIP. 19890225 2024 21 1 013", "--format", "json")
    assert run.exit_code == 0
    doc = run.json()
    assert doc["schema_version"] == 1
    assert doc["status"] == "ok"
    assert doc["lang"] == "id"
    assert doc["nip"] == {
        "input": "NIP. 19890225 2024 21 1 013",
        "normalized": "198902252024211013",
        "kind": "pppk",
        "birth_date": "1989-02-25",
        "appointed": "2024",
        "sex": "male",
        "serial": "013",
        "contract": 1,
    }
    assert [f["code"] for f in doc["findings"]] == ["nip-separators"]
    finding = doc["findings"][0]
    assert set(finding) == {"code", "severity", "field", "message", "remedy", "faq", "span"}
    assert "email" not in doc


def test_json_failure_in_english(cli: CLI) -> None:
    run = cli("check", "--nip", "1,98501E+17", "--format", "json", "--lang", "en")
    assert run.exit_code == 1
    doc = run.json()
    assert doc["status"] == "fail"
    assert doc["lang"] == "en"
    assert doc["nip"]["normalized"] is None
    (finding,) = doc["findings"]
    assert finding["code"] == "nip-excel-damaged"
    assert finding["severity"] == "error"
    assert finding["span"] == [0, 11]
    assert finding["faq"] == "nip-excel"
    assert "scientific" in finding["message"]


def test_json_warning_only_is_ok(cli: CLI) -> None:
    doc = cli("check", "--nip", "200501012015051001", "--format", "json").json()
    assert doc["status"] == "ok"
    assert [f["severity"] for f in doc["findings"]] == ["warning"]


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        (GOOD + "\n", "198609262015051001"),
        (GOOD + "\r\n", "198609262015051001"),
        (GOOD, "198609262015051001"),
    ],
)
def test_nip_from_stdin(cli: CLI, stdin: str, expected: str) -> None:
    doc = cli("check", "--nip", "-", "--format", "json", input=stdin).json()
    assert doc["nip"]["input"] == GOOD
    assert doc["nip"]["normalized"] == expected


def test_stdin_removes_only_one_line_ending(cli: CLI) -> None:
    doc = cli("check", "--nip", "-", "--format", "json", input=GOOD + "\n\n").json()
    assert doc["nip"]["input"] == GOOD + "\n"


def test_stdin_not_utf8_is_a_usage_error(cli: CLI) -> None:
    run = cli("check", "--nip", "-", input=b"\xff\xfe1986")
    assert run.exit_code == 2
    assert "UTF-8" in run.stderr
    assert run.stdout == ""


def test_nothing_to_check(cli: CLI) -> None:
    run = cli("check")
    assert run.exit_code == 2
    assert "--nip" in run.stderr
    assert "Traceback" not in run.stderr


def test_unknown_language(cli: CLI) -> None:
    run = cli("check", "--nip", GOOD, "--lang", "fr")
    assert run.exit_code == 2
    assert "fr" not in run.stderr  # a password typed after --lang is not shown either
    assert "'id'" in run.stderr and "'en'" in run.stderr
    assert run.stdout == ""


def test_unknown_option_exits_2(cli: CLI) -> None:
    assert cli("check", "--nope").exit_code == 2
    assert cli("check", "--nip", GOOD, "--format", "xml").exit_code == 2


def test_version(cli: CLI) -> None:
    run = cli("--version")
    assert run.exit_code == 0
    assert __version__ in run.stdout


def test_help_documents_exit_codes(cli: CLI) -> None:
    for args, words in (
        (("--help",), "Kode keluar"),
        (("check", "--help"), "Kode keluar"),
        (("check", "--help", "--lang", "en"), "Exit codes"),
    ):
        run = cli(*args)
        assert run.exit_code == 0
        assert words in run.stdout
        assert "130" in run.stdout


def test_internal_failure_is_one_sentence(cli: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    import sapkcheck.diagnosis

    def boom(**_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(sapkcheck.diagnosis, "run_check", boom)
    run = cli("check", "--nip", GOOD, expect_internal_failure=True)
    assert run.exit_code == 2
    assert "RuntimeError" in run.stderr
    assert "Traceback" not in run.stderr
    with pytest.raises(RuntimeError):
        cli("check", "--nip", GOOD, "--debug")


def test_ctrl_c_exits_130(cli: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    import sapkcheck.diagnosis

    def interrupted(**_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sapkcheck.diagnosis, "run_check", interrupted)
    assert cli("check", "--nip", GOOD).exit_code == 130


def test_explain_one_code_both_languages(cli: CLI) -> None:
    run = cli("explain", "nip-serial")
    assert run.exit_code == 0
    assert "Mengapa penting" in run.stdout
    run = cli("explain", "nip-serial", "--lang", "en")
    assert "Why it matters" in run.stdout and "How to fix" in run.stdout


def test_explain_lists_all_codes(cli: CLI) -> None:
    from sapkcheck.findings import CODES

    run = cli("explain")
    assert run.exit_code == 0
    for code in CODES:
        assert code in run.stdout
    doc = cli("explain", "--format", "json", "--lang", "en").json()
    assert [c["code"] for c in doc["codes"]] == sorted(CODES)


def test_explain_json_and_unknown(cli: CLI) -> None:
    doc = cli("explain", "nip-excel-damaged", "--format", "json").json()
    (entry,) = doc["codes"]
    assert entry["faq"] == "nip-excel" and entry["severity"] == "error"
    assert {"title", "why", "remedy", "message", "variants"} <= set(entry)
    run = cli("explain", "no-such-code")
    assert run.exit_code == 2 and "no-such-code" in run.stderr


@pytest.mark.parametrize("typed", ["[nip-serial]", "NIP-SERIAL", " 'nip-serial' ", '"nip-serial"'])
def test_explain_takes_a_code_as_reports_show_it(cli: CLI, typed: str) -> None:
    doc = cli("explain", typed, "--format", "json").json()
    assert [entry["code"] for entry in doc["codes"]] == ["nip-serial"]
