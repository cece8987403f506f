"""`sapkcheck password`: the pure check against each policy, and the CLI around it.

The password is a secret: besides the findings, every CLI test checks that the text typed
never comes back on stdout or stderr.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sapkcheck.checks.chars import unicode_name
from sapkcheck.checks.password import check_password
from sapkcheck.findings import Finding
from sapkcheck.knowledge.policies import ASN_DIGITAL, MYASN, MYSAPK, POLICIES, PasswordPolicy
from sapkcheck.knowledge.profile import PROFILE_TEMPLATE
from tests.helpers import Run


def unicode_names(finding: Finding) -> str:
    """The characters a finding carries (``codepoints``) by Unicode's names, with codes."""
    return ", ".join(
        f"{unicode_name(chr(int(point[2:], 16)))} ({point})"
        for point in str(finding.params["codepoints"]).split()
        if point.startswith("U+")
    )


CLI = Callable[..., Run]
SECRET = "Rahasia99Zq"  # meets mysapk and myasn; too short and no symbol for asn-digital


def codes(password: str, policy: PasswordPolicy) -> set[str]:
    return {finding.code for finding in check_password(password, policy)}


def _visible(run: Run) -> str:
    return run.stdout + run.stderr


# --------------------------------------------------------------------- pure check, per policy


def test_policies_are_the_three_documented_ones() -> None:
    assert set(POLICIES) == {"mysapk", "myasn", "asn-digital"}
    assert (MYSAPK.min_length, MYASN.min_length, ASN_DIGITAL.min_length) == (6, 8, 12)


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Rahasia1", set()),
        ("Abcde1", set()),  # exactly 6
        ("RAHASIA1", set()),  # MySAPK does not ask for lower case
        ("Abcd1", {"password-too-short"}),  # 5
        ("rahasia1", {"password-no-uppercase"}),
        ("Rahasia", {"password-no-digit"}),
        ("123456", {"password-no-uppercase"}),  # no letter rule of its own
        ("rahasia", {"password-no-uppercase", "password-no-digit"}),
        ("", {"password-too-short", "password-no-uppercase", "password-no-digit"}),
    ],
)
def test_mysapk_policy(password: str, expected: set[str]) -> None:
    assert codes(password, POLICIES["mysapk"]) == expected


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("rahasia1", set()),  # exactly 8, any case
        ("RAHASIA1", set()),
        ("Rahasia#2025", set()),
        ("rahasi1", {"password-too-short"}),  # 7
        ("12345678", {"password-no-letter"}),
        ("rahasiaku", {"password-no-digit"}),
        ("rahasia!", {"password-no-digit"}),
        ("!!!!!!!!", {"password-no-letter", "password-no-digit"}),
    ],
)
def test_myasn_policy(password: str, expected: set[str]) -> None:
    assert codes(password, POLICIES["myasn"]) == expected


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Rahasia#2025", set()),  # exactly 12
        ("Rahasia_2025", set()),  # underscore is punctuation: a symbol
        ("Rahasia€2025", {"password-non-ascii"}),  # a symbol, but not on every keyboard
        ("Rahasia#202", {"password-too-short"}),  # 11
        ("rahasia#2025", {"password-no-uppercase"}),
        ("RAHASIA#2025", {"password-no-lowercase"}),
        ("Rahasia#Kita", {"password-no-digit"}),
        ("Rahasia20250", {"password-no-symbol"}),
        (
            "123456789012",
            {"password-no-uppercase", "password-no-lowercase", "password-no-symbol"},
        ),
        (SECRET, {"password-too-short", "password-no-symbol"}),
        # Look-alikes count as none of the classes the rule names (A-Z, a-z, 0-9)
        ("\u0420ahasia#2025", {"password-no-uppercase", "password-non-ascii"}),  # Cyrillic
        ("\u00c9ahasia#2025", {"password-no-uppercase", "password-non-ascii"}),  # accented
        (
            "R\u0430\u0445\u0430\u0441\u0438\u0430#2025A",
            {"password-no-lowercase", "password-non-ascii"},
        ),
        ("Rahasia#\uff12\uff10\uff12\uff15", {"password-no-digit", "password-non-ascii"}),
    ],
)
def test_asn_digital_policy(password: str, expected: set[str]) -> None:
    assert codes(password, POLICIES["asn-digital"]) == expected


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_length_boundary_for_every_policy(name: str) -> None:
    policy = POLICIES[name]
    # A capital, a small letter, a digit and a symbol satisfy every policy's classes.
    exact = "Aa1!" + "x" * (policy.min_length - 4)
    assert len(exact) == policy.min_length
    assert check_password(exact, policy) == ()
    short = exact[:-1]
    (finding,) = check_password(short, policy)
    assert finding.code == "password-too-short"
    assert finding.params["length"] == policy.min_length - 1
    assert finding.params["minimum"] == policy.min_length
    assert finding.faq == "syarat-password"


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_every_finding_is_an_error_pointing_to_the_password_faq(name: str) -> None:
    findings = check_password(" \u200b", POLICIES[name])
    assert findings
    for finding in findings:
        assert finding.severity == "error"
        assert finding.field == "password"
        assert finding.faq == "syarat-password"


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_only_the_rules_a_policy_has_are_checked(name: str) -> None:
    policy = POLICIES[name]
    found = codes("", policy)
    assert ("password-no-uppercase" in found) is policy.require_upper
    assert ("password-no-lowercase" in found) is policy.require_lower
    assert ("password-no-letter" in found) is policy.require_letter
    assert ("password-no-digit" in found) is policy.require_digit
    assert ("password-no-symbol" in found) is policy.require_symbol


@pytest.mark.parametrize(
    ("password", "leading", "trailing"),
    [
        (" Rahasia1", 1, 0),
        ("Rahasia1 ", 0, 1),
        ("  Rahasia1\t", 2, 1),
        ("\u00a0Rahasia1", 1, 0),  # NO-BREAK SPACE, pasted from a web page
        ("Rahasia1\u3000", 0, 1),  # IDEOGRAPHIC SPACE
    ],
)
def test_whitespace_around(password: str, leading: int, trailing: int) -> None:
    (finding,) = check_password(password, MYSAPK)
    assert finding.code == "password-whitespace"
    assert finding.params == {"count": leading + trailing, "leading": leading, "trailing": trailing}


def test_whitespace_is_not_counted_in_the_length() -> None:
    findings = {f.code: f for f in check_password("  Abc1 ", MYSAPK)}
    assert set(findings) == {"password-whitespace", "password-too-short"}
    assert findings["password-too-short"].params["length"] == 4


@pytest.mark.parametrize(
    ("password", "name"),
    [
        ("Raha\u200bsia1", "ZERO WIDTH SPACE (U+200B)"),
        ("Rahasia\u00ad1", "SOFT HYPHEN (U+00AD)"),
        ("Raha\u2060sia1", "WORD JOINER (U+2060)"),
    ],
)
def test_invisible_char_inside(password: str, name: str) -> None:
    (finding,) = check_password(password, MYSAPK)
    assert finding.code == "password-invisible-char"
    assert finding.params["count"] == 1
    assert name in unicode_names(finding)


def test_invisible_chars_are_not_counted_in_the_length() -> None:
    # Six characters on screen, one of them a zero-width space: five that count.
    found = codes("Rah\u200b1a", MYSAPK)
    assert found == {"password-invisible-char", "password-too-short"}


def test_invisible_char_at_the_edge_is_reported() -> None:
    # A BOM pasted in front: counted with the blanks around the password.
    assert codes("\ufeffRahasia1", MYSAPK) & {"password-whitespace", "password-invisible-char"}


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_findings_never_carry_the_password(name: str) -> None:
    for password in (SECRET, " Zq9xRahasia ", "Ra\u200bhasia99Zq", "zq"):
        for finding in check_password(password, POLICIES[name]):
            for value in finding.params.values():
                assert password.strip() not in str(value)


# --------------------------------------------------------------------- CLI with --stdin


def test_stdin_valid_password_text(cli: CLI) -> None:
    run = cli("password", "--stdin", "--policy", "mysapk", input=SECRET + "\n")
    assert run.exit_code == 0
    assert "MySAPK" in run.stdout
    assert "Password memenuhi aturan" in run.stdout
    assert "[password-" not in run.stdout
    assert SECRET not in _visible(run)


def test_stdin_weak_password_text_en(cli: CLI) -> None:
    run = cli("password", "--stdin", "--policy", "mysapk", "--lang", "en", input="rahasiazq\n")
    assert run.exit_code == 1
    assert "[password-no-uppercase]" in run.stdout
    assert "[password-no-digit]" in run.stdout
    assert "[password-too-short]" not in run.stdout
    assert "The password does not meet the rule yet" in run.stdout
    assert "rahasiazq" not in _visible(run)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_stdin_json_failing(cli: CLI, lang: str) -> None:
    run = cli(
        "password",
        "--stdin",
        "--policy",
        "mysapk",
        "--format",
        "json",
        "--lang",
        lang,
        input="zqrahasia\n",
    )
    assert run.exit_code == 1
    doc = run.json()
    assert doc["schema_version"] == 1
    assert doc["status"] == "fail"
    assert doc["lang"] == lang
    assert doc["password"]["policy"] == "mysapk"
    assert "6" in doc["password"]["rule"]
    assert [f["code"] for f in doc["findings"]] == ["password-no-uppercase", "password-no-digit"]
    assert all(f["faq"] == "syarat-password" for f in doc["findings"])
    assert [r["faq"] for r in doc["remedies"]] == ["syarat-password"]
    assert doc["remedies"][0]["steps"]
    assert "zqrahasia" not in _visible(run)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_stdin_json_passing(cli: CLI, lang: str) -> None:
    run = cli(
        "password",
        "--stdin",
        "--policy",
        "mysapk",
        "--format",
        "json",
        "--lang",
        lang,
        input=SECRET + "\n",
    )
    assert run.exit_code == 0
    doc = run.json()
    assert doc["status"] == "ok"
    assert doc["findings"] == []
    assert doc["remedies"] == []
    assert doc["password"]["policy"] == "mysapk"


def test_json_remedy_states_the_rule_of_the_policy_checked(cli: CLI) -> None:
    run = cli(
        "password",
        "--stdin",
        "--policy",
        "myasn",
        "--format",
        "json",
        "--lang",
        "en",
        input="rahasia\n",
    )
    doc = run.json()
    assert doc["password"] == {
        "policy": "myasn",
        "rule": "at least 8 characters, including at least 1 letter and 1 digit",
    }
    steps = doc["remedies"][0]["steps"]
    assert steps[0] == (
        "Password rule in force (MyASN): at least 8 characters, including at least 1 letter "
        "and 1 digit."
    )


def _profile_with_policy(tmp_path: Path, policy: str) -> Path:
    text = PROFILE_TEMPLATE.replace(
        '# password_policy = "asn-digital"', f'password_policy = "{policy}"'
    )
    assert text.count(f'password_policy = "{policy}"') == 1
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_policy_follows_the_portal(cli: CLI, tmp_path: Path) -> None:
    """Built in: ASN Digital's rule (at least 12); a MySAPK-era profile: MySAPK's (6)."""
    run = cli("password", "--stdin", "--format", "json", input=SECRET)
    assert run.exit_code == 1
    assert run.json()["password"]["policy"] == "asn-digital"
    then = tmp_path / "mysapk.toml"
    then.write_text(
        'portal = "mysapk"\n' + PROFILE_TEMPLATE.replace('portal = "asn-digital"\n', "")
    )
    run = cli("password", "--stdin", "--profile", str(then), "--format", "json", input=SECRET)
    assert run.exit_code == 0
    assert run.json()["password"]["policy"] == "mysapk"


def test_profile_policy_is_the_default(cli: CLI, tmp_path: Path) -> None:
    region = _profile_with_policy(tmp_path, "asn-digital")
    run = cli("password", "--stdin", "--profile", str(region), "--format", "json", input=SECRET)
    assert run.exit_code == 1
    doc = run.json()
    assert doc["password"]["policy"] == "asn-digital"
    assert {f["code"] for f in doc["findings"]} == {"password-too-short", "password-no-symbol"}


@pytest.mark.parametrize("spelled", ["mysapk", "MySAPK"])
def test_policy_option_overrides_the_profile(cli: CLI, tmp_path: Path, spelled: str) -> None:
    region = _profile_with_policy(tmp_path, "asn-digital")
    run = cli(
        "password",
        "--stdin",
        "--profile",
        str(region),
        "--policy",
        spelled,
        "--format",
        "json",
        input=SECRET,
    )
    assert run.exit_code == 0
    assert run.json()["password"]["policy"] == "mysapk"


def test_policy_option_stricter_than_default(cli: CLI) -> None:
    run = cli("password", "--stdin", "--policy", "asn-digital", "--lang", "en", input=SECRET)
    assert run.exit_code == 1
    assert "ASN Digital" in run.stdout
    assert "[password-no-symbol]" in run.stdout
    assert SECRET not in _visible(run)


def test_unknown_policy_is_a_usage_error(cli: CLI) -> None:
    run = cli("password", "--stdin", "--policy", "bkn2019", input=SECRET)
    assert run.exit_code == 2
    assert run.stdout == ""


@pytest.mark.parametrize("output_format", ["text", "json"])
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("policy", sorted(POLICIES))
@pytest.mark.parametrize(
    "secret", [SECRET, "zqrahasia", " Rahasia99Zq  ", "Ra\u200bhasia99Zq", "Rahasia#2025Zq"]
)
def test_password_never_printed(
    cli: CLI, output_format: str, lang: str, policy: str, secret: str
) -> None:
    run = cli(
        "password",
        "--stdin",
        "--policy",
        policy,
        "--format",
        output_format,
        "--lang",
        lang,
        "--color",
        "always",
        input=secret + "\n",
    )
    assert run.exit_code in (0, 1)
    shown = _visible(run)
    for piece in {secret, secret.strip(), *secret.strip().split("\u200b")}:
        if len(piece) >= 5:
            assert piece not in shown


# --------------------------------------------------------------------- never an argument


@pytest.mark.parametrize(
    "args",
    [
        ["password", "Rahasia99Zq"],
        ["password", "--stdin", "Rahasia99Zq"],
        ["password", "--password", "Rahasia99Zq"],
        ["password", "-p", "Rahasia99Zq"],
    ],
)
def test_password_argument_is_refused(cli: CLI, args: list[str]) -> None:
    run = cli(*args, input="")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "[password-" not in run.stderr


def test_password_argument_is_not_echoed(cli: CLI) -> None:
    run = cli("password", "Rahasia99Zq")
    assert run.exit_code == 2
    assert "Rahasia99Zq" not in _visible(run)


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [("id", "tidak pernah sebagai argumen"), ("en", "never as an argument")],
)
def test_no_stdin_option_and_no_terminal(cli: CLI, lang: str, sentence: str) -> None:
    run = cli("password", "--lang", lang, input=SECRET + "\n")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert sentence in run.stderr
    assert "Traceback" not in run.stderr
    assert SECRET not in run.stderr


# --------------------------------------------------------------------- one line of stdin


def test_second_line_is_ignored(cli: CLI) -> None:
    run = cli(
        "password", "--stdin", "--policy", "mysapk", "--format", "json", input=SECRET + "\nabc\n"
    )
    assert run.exit_code == 0
    assert run.json()["findings"] == []


def test_only_the_first_line_is_checked(cli: CLI) -> None:
    run = cli(
        "password",
        "--stdin",
        "--policy",
        "mysapk",
        "--format",
        "json",
        "--lang",
        "en",
        input="abc\n" + SECRET,
    )
    assert run.exit_code == 1
    (short,) = [f for f in run.json()["findings"] if f["code"] == "password-too-short"]
    assert short["message"] == "The password has 3 characters; at least 6 are needed."
    assert SECRET not in run.stdout


@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_one_line_ending_removed(cli: CLI, ending: str) -> None:
    run = cli(
        "password", "--stdin", "--policy", "mysapk", "--format", "json", input=SECRET + ending
    )
    assert run.exit_code == 0
    assert run.json()["findings"] == []


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_only_the_line_ending_is_removed(cli: CLI, ending: str) -> None:
    run = cli(
        "password",
        "--stdin",
        "--policy",
        "mysapk",
        "--format",
        "json",
        "--lang",
        "en",
        input=SECRET + " " + ending,
    )
    assert run.exit_code == 1
    (finding,) = run.json()["findings"]
    assert finding["code"] == "password-whitespace"
    assert finding["message"] == ("1 blank character(s) around the password (0 before, 1 after).")


def test_stdin_through_a_real_pipe() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sapkcheck",
            "password",
            "--stdin",
            "--policy",
            "mysapk",
            "--format",
            "json",
        ],
        input=b"Rahasia99Zq \r\nRahasia99Zq\n",
        capture_output=True,
        timeout=30,
        env={**os.environ, "SAPKCHECK_LANG": "en"},
    )
    assert done.returncode == 1
    doc = json.loads(done.stdout)
    assert [f["code"] for f in doc["findings"]] == ["password-whitespace"]
    assert b"Rahasia99Zq" not in done.stdout + done.stderr


def test_undecodable_stdin_is_a_usage_problem_not_an_internal_error(cli: CLI) -> None:
    # A Windows console in cp1252 piping a password with an accented letter.
    run = cli("password", "--stdin", "--lang", "en", input="Rahasi\xe199Zq\n".encode("cp1252"))
    assert run.exit_code == 2
    assert "Internal error" not in run.stderr
    assert "UTF-8" in run.stderr


# --------------------------------------------------------------------- no-echo prompt, real pty


def test_prompt_in_a_terminal_does_not_echo() -> None:
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - child
        env = {**os.environ, "COLUMNS": "200", "TERM": "dumb", "SAPKCHECK_LANG": "en"}
        try:
            os.execve(
                sys.executable,
                [sys.executable, "-m", "sapkcheck", "password", "--policy", "mysapk"],
                env,
            )
        finally:
            os._exit(127)
    seen = b""
    reaped = False
    try:
        deadline = time.monotonic() + 15
        sent = False
        while True:
            if not sent and b"will not show" in seen:
                os.write(fd, b"Rahasia99Zq\r")
                sent = True
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no answer from sapkcheck: {seen!r}"
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        _, status = os.waitpid(pid, 0)
        reaped = True
    finally:
        os.close(fd)
        if not reaped:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    assert sent, seen
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"The password meets the rule" in seen
    assert b"Rahasia99Zq" not in seen


# --------------------------------------------------------------------- spaces inside (issue 12)


@pytest.mark.parametrize("name", sorted(POLICIES))
@pytest.mark.parametrize(
    ("password", "count", "position", "points"),
    [
        ("Rahasia 1", 1, 8, "U+0020"),  # the example
        ("Rahasia#2025 Ok", 1, 13, "U+0020"),
        ("Ra  hasia#2025", 2, 3, "U+0020"),
        ("Rahasia\u00a0#2025", 1, 8, "U+00A0"),  # a phone keyboard's no-break space
        ("Rahasia\t#2025", 1, 8, "U+0009"),
        (" Rahasia 1", 1, 9, "U+0020"),  # positions count from the first typed character
    ],
)
def test_inner_spaces_are_flagged_under_every_policy(
    name: str, password: str, count: int, position: int, points: str
) -> None:
    found = [
        f for f in check_password(password, POLICIES[name]) if f.code == "password-inner-space"
    ]
    assert len(found) == 1
    (finding,) = found
    assert finding.severity == "error"
    assert finding.params["count"] == count
    assert finding.params["position"] == position
    assert finding.params["codepoints"] == points
    assert finding.faq == "syarat-password"


@pytest.mark.parametrize("name", sorted(POLICIES))
@pytest.mark.parametrize("password", ["Rahasia#2025", " Rahasia#2025 ", "Rahasia\u200b#2025"])
def test_no_inner_space_no_inner_space_finding(name: str, password: str) -> None:
    # spaces at the edges are password-whitespace, invisible characters their own finding
    assert "password-inner-space" not in codes(password, POLICIES[name])


def test_many_inner_spaces_list_the_first_positions() -> None:
    (finding,) = [
        f for f in check_password("a b c d e f g h", MYSAPK) if f.code == "password-inner-space"
    ]
    assert finding.params["count"] == 7
    assert finding.params["positions"] == "2, 4, 6, 8, 10, …"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", "Ada 1 spasi di tengah password (posisi 8): spasi biasa (U+0020)."),
        ("en", "1 space inside the password (position 8): space (U+0020)."),
    ],
)
@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_inner_space_in_both_languages(cli: CLI, lang: str, expected: str, policy: str) -> None:
    run = cli(
        "password",
        "--stdin",
        "--policy",
        policy,
        "--lang",
        lang,
        "--format",
        "json",
        input="Rahasia 1\n",
    )
    assert run.exit_code == 1
    messages = [f["message"] for f in run.json()["findings"]]
    assert expected in messages
    assert "Rahasia" not in run.stdout + run.stderr  # never echoed
