"""`sapkcheck guide` and bare `sapkcheck`: the questions for staff, in a real terminal.

The terminal tests run the real program in a pseudo-terminal (``pty.fork``) and answer
its questions as a person would, so that what the terminal does to the typed text
(line editing, Ctrl-C, Ctrl-D) is part of the test. Every read has a deadline: a hang
fails the test instead of blocking the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from tests.helpers import Run, hear_ctrl_c

CLI = Callable[..., Run]
NIP = "198609262015051001"
TIMEOUT = 15.0
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


class Terminal:
    """The program running in a pseudo-terminal, as a person sees and types into it."""

    def __init__(self, *args: str) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"SAPKCHECK_LANG", "SAPKCHECK_PROFILE", "NO_COLOR"}
        }
        env.update(COLUMNS="200", LINES="50", TERM="dumb")
        argv = [sys.executable, "-m", "sapkcheck", *args]
        pid, fd = pty.fork()
        if pid == 0:  # pragma: no cover - the child becomes sapkcheck
            try:
                hear_ctrl_c()
                os.execve(sys.executable, argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.raw = b""
        self.status: int | None = None

    @property
    def text(self) -> str:
        return ANSI.sub("", self.raw.decode("utf-8", "replace")).replace("\r\n", "\n")

    def _read(self, deadline: float) -> bool:
        """Read what is there; False at end of output."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"timed out; the terminal shows:\n{self.text}")
        ready, _, _ = select.select([self.fd], [], [], remaining)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the program has exited and the pty is closed
            return False
        self.raw += chunk
        return bool(chunk)

    def expect(self, pattern: str) -> None:
        """Wait until ``pattern`` appears after what was already matched."""
        deadline = time.monotonic() + TIMEOUT
        while pattern not in self.text:
            if not self._read(deadline):
                raise AssertionError(
                    f"{pattern!r} never appeared; the terminal shows:\n{self.text}"
                )

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode("utf-8"))

    def prompt(self, question: str) -> None:
        """Wait for ``question`` (or its start), its numbered choices if any, and the "> "
        prompt under it."""
        asked = re.compile(re.escape(question) + r"[^\n]*\n(?:  \d+\. [^\n]*\n)*> ")
        deadline = time.monotonic() + TIMEOUT
        while not asked.search(self.text):
            if not self._read(deadline):
                raise AssertionError(
                    f"{question!r} was never asked; the terminal shows:\n{self.text}"
                )

    def answer(self, question: str, text: str) -> None:
        self.prompt(question)
        self.type(text + "\r")

    def wait(self) -> int:
        """Read to the end; the exit code."""
        deadline = time.monotonic() + TIMEOUT
        while self._read(deadline):
            pass
        _, status = os.waitpid(self.pid, 0)
        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def close(self) -> None:
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.status = -9
        os.close(self.fd)


@pytest.fixture
def terminal() -> Iterator[Callable[..., Terminal]]:
    started: list[Terminal] = []

    def start(*args: str) -> Terminal:
        started.append(Terminal(*args))
        return started[-1]

    yield start
    for term in started:
        term.close()


Start = Callable[..., Terminal]


# --------------------------------------------------------------------- guide in a terminal


def test_trailing_spaces_survive_the_terminal(terminal: Start) -> None:
    term = terminal("guide", "--lang", "en")
    term.answer("Where did you try", "1")
    term.answer("What message did the portal show?", "Operasi Gagal")
    term.answer("Your NIP (18 digits):", NIP)
    term.answer("The email exactly as you typed it", "eli@gmail.com  ")
    term.answer("The email hint MySAPK showed", "")
    assert term.wait() == 1
    report = term.text
    assert "[email-trailing-space]" in report
    assert "eli@gmail.com␣␣" in report
    assert "2 blank character(s) after the email (positions 14–15)" in report
    assert "[message-recognized]" in report
    assert "(operasi-gagal)" in report
    assert 'What to do: The message "Operasi Gagal"' in report
    assert "PNS (civil servant), born 1986-09-26" in report
    assert report.rstrip().endswith("1 error(s), 0 warning(s), 1 info.")
    assert "Traceback" not in report


def test_questions_in_indonesian_by_default(terminal: Start) -> None:
    term = terminal("guide")
    term.answer("Di mana Anda mencoba", "")
    term.answer("Pesan apa yang muncul?", "")
    term.answer("NIP Anda (18 digit):", NIP)
    term.answer("Email persis seperti yang Anda ketik", "eli.sari@gmail.com")
    term.answer("Petunjuk email yang ditampilkan MySAPK", "eli*****@gmail.com")
    assert term.wait() == 0
    assert "[email-hint-match]" in term.text
    assert "Tidak ada kesalahan." in term.text


def test_ctrl_c_exits_130(terminal: Start) -> None:
    term = terminal("guide", "--lang", "en")
    term.answer("Where did you try", "3")
    term.answer("What message did the portal show?", "1")
    term.prompt("Your NIP (18 digits):")
    term.type("1986\x03")
    assert term.wait() == 130
    assert "Traceback" not in term.text
    assert "What to do" not in term.text


def test_ctrl_c_says_interrupted(terminal: Start) -> None:
    term = terminal("guide", "--lang", "en")
    term.prompt("Where did you try")
    term.type("\x03")
    assert term.wait() == 130
    assert "Interrupted." in term.text


@pytest.mark.parametrize("answered", [0, 2])
def test_ctrl_d_at_an_empty_prompt_exits_2(terminal: Start, answered: int) -> None:
    term = terminal("guide", "--lang", "en")
    questions = ["Where did you try", "What message did the portal show?"]
    for question, text in zip(questions[:answered], ["4", "Operasi Gagal"][:answered], strict=True):
        term.answer(question, text)
    term.prompt(["Where did you try", "Your NIP (18 digits):"][answered // 2])
    term.type("\x04")
    assert term.wait() == 2
    assert "sapkcheck: Error: Input ended (Ctrl-D) before every question was answered." in (
        term.text
    )
    assert "Traceback" not in term.text
    assert "What to do" not in term.text


# --------------------------------------------------------------------- bare `sapkcheck`


def test_bare_command_in_a_terminal_starts_the_guide(terminal: Start) -> None:
    term = terminal()
    term.expect("Di mana Anda mencoba")
    term.type("\x03")
    term.wait()


def test_bare_command_without_terminal_exits_2(cli: CLI) -> None:
    run = cli()
    assert run.exit_code == 2
    assert "Pesan apa yang muncul" not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def _lists_commands(output: str) -> bool:
    return all(
        re.search(rf"^\W*{name}\b", output, re.MULTILINE)
        for name in ("check", "explain", "password", "faq", "profile", "guide")
    )


def test_bare_command_without_terminal_prints_help(cli: CLI) -> None:
    run = cli()
    assert run.exit_code == 2
    assert _lists_commands(run.stdout + run.stderr)


def test_bare_command_with_pipes_exits_2_without_asking() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sapkcheck"],
        input=b"Operasi Gagal\n",
        capture_output=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert b"Di mana Anda mencoba" not in done.stdout + done.stderr
    assert b"Traceback" not in done.stderr


def test_help_lists_the_guide(cli: CLI) -> None:
    run = cli("--help")
    assert run.exit_code == 0
    assert _lists_commands(run.stdout)


# --------------------------------------------------------------------- guide without a terminal


def test_guide_json_with_answers_on_stdin(cli: CLI) -> None:
    run = cli("guide", "--format", "json", input=f"\nOperasi Gagal\n{NIP}\neli@gmail.com  \n\n")
    assert run.exit_code == 1
    doc = json.loads(run.stdout)  # exactly one document: json.loads refuses trailing data
    assert doc["schema_version"] == 1
    assert doc["status"] == "fail"
    assert doc["message"] == {
        "input": "Operasi Gagal",
        "faq": "operasi-gagal",
        "maybe": [],
        "quoted": "Operasi Gagal",
    }
    assert doc["nip"]["normalized"] == NIP
    assert doc["email"]["input"] == "eli@gmail.com  "
    assert doc["email"]["hint"] is None
    codes = [f["code"] for f in doc["findings"]]
    assert "email-trailing-space" in codes
    assert doc["remedies"][0]["faq"] == "operasi-gagal"
    # The questions went to stderr, every one of them.
    for question in ("Pesan apa yang muncul", "NIP Anda", "Email persis", "Petunjuk email"):
        assert question in run.stderr
        assert question not in run.stdout


def test_guide_text_keeps_questions_off_stdout(cli: CLI) -> None:
    run = cli(
        "guide",
        "--lang",
        "en",
        input=f"\n\n{NIP}\neli.sari@gmail.com\neli*****@gmail.com\n",
        env={"COLUMNS": "200"},
    )
    assert run.exit_code == 0
    assert "What message did the portal show?" in run.stderr
    assert "What message" not in run.stdout
    assert "[email-hint-match]" in run.stdout
    assert run.stdout.rstrip().splitlines()[-1].startswith("✓ No errors.")


def test_guide_asks_again_for_a_malformed_hint(cli: CLI) -> None:
    answers = f"\n\n{NIP}\neli.sari@gmail.com\neli*****gmail.com\neli*****@gmail.com\n"
    run = cli("guide", "--format", "json", "--lang", "en", input=answers)
    assert run.exit_code == 0
    assert "must contain exactly one @" in run.stderr
    assert "Try again." in run.stderr
    assert run.stderr.count("The email hint MySAPK showed") == 2
    doc = run.json()
    assert doc["email"]["hint"] == "eli*****@gmail.com"
    assert "email-hint-match" in [f["code"] for f in doc["findings"]]


def test_guide_gives_up_on_the_hint_after_three_tries(cli: CLI) -> None:
    answers = f"\n\n{NIP}\neli.sari@gmail.com\nx\ny\nz\n"
    run = cli("guide", "--format", "json", "--lang", "en", input=answers)
    assert run.exit_code == 0
    assert run.stderr.count("Try again.") == 2
    assert run.stderr.count("Going on with this answer") == 1
    assert run.json()["email"]["hint"] is None


def test_guide_input_ends_early(cli: CLI) -> None:
    run = cli("guide", "--lang", "en", input="Operasi Gagal\n")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "Input ended (Ctrl-D) before every question was answered." in run.stderr
    assert "Traceback" not in run.stderr


def test_guide_with_a_bad_profile_exits_2_before_asking(cli: CLI) -> None:
    run = cli("guide", "--profile", "/nonexistent/region.toml", input="Operasi Gagal\n")
    assert run.exit_code == 2
    assert "Pesan apa yang muncul" not in run.stderr


def test_guide_with_every_answer_skipped_is_nothing_to_check(cli: CLI) -> None:
    run = cli("guide", "--lang", "en", input="\n\n\n\n\n")
    assert run.exit_code == 2
    assert "Nothing to check" in run.stderr


# ------------------------------------------------------------ numbered choices, asking again


def test_guide_message_menu_by_number(cli: CLI) -> None:
    """People who cannot copy the portal's text choose it by number."""
    run = cli("guide", "--format", "json", input=f"3\n2\n{NIP}\neli@gmail.com\n\n")
    assert run.exit_code in (0, 1)
    assert run.json()["message"]["input"] == (
        "Operasi gagal, data email yang dimasukkan tidak sesuai"
    )
    assert run.json()["message"]["faq"] == "email-tidak-sesuai"
    for label in ("1. MySAPK", "4. Tidak tahu", "1. Operasi Gagal", "7. Lainnya"):
        assert label in run.stderr


def test_guide_other_message_is_typed(cli: CLI) -> None:
    run = cli("guide", "--format", "json", input=f"\n7\nOperasi Gagal\n{NIP}\n\n\n")
    assert run.json()["message"]["input"] == "Operasi Gagal"
    assert "Ketik atau tempel pesannya persis:" in run.stderr


def test_guide_asks_again_for_a_portal_that_is_not_a_choice(cli: CLI) -> None:
    run = cli("guide", "--lang", "en", "--format", "json", input=f"9\n2\n\n{NIP}\n\n\n")
    assert run.exit_code == 0
    assert "Choose one of the numbers 1–4. Try again." in run.stderr
    assert run.stderr.count("Where did you try") == 2


def test_guide_asks_again_for_a_17_digit_nip(cli: CLI) -> None:
    answers = f"\n\n{NIP[:-1]}\n{NIP}\neli.sari@gmail.com\n\n"
    run = cli("guide", "--lang", "en", "--format", "json", input=answers)
    assert run.exit_code == 0
    assert "A NIP has 18 digits; this answer has 17. Try again." in run.stderr
    assert run.json()["nip"]["normalized"] == NIP


def test_guide_goes_on_after_three_wrong_nips(cli: CLI) -> None:
    short = NIP[:-1]
    answers = f"\n\n{short}\n{short}\n{short}\neli.sari@gmail.com\n\n"
    run = cli("guide", "--lang", "en", "--format", "json", input=answers)
    assert run.exit_code == 1  # the check itself says what is wrong
    assert run.stderr.count("Try again.") == 2
    assert "Going on with this answer" in run.stderr
    assert "nip-length" in [f["code"] for f in run.json()["findings"]]


def test_guide_asks_again_for_an_email_without_at(cli: CLI) -> None:
    answers = f"\n\n{NIP}\neli.sari.gmail.com\neli.sari@gmail.com\n\n"
    run = cli("guide", "--format", "json", input=answers)
    assert run.exit_code == 0
    assert "Alamat email selalu berisi tanda @" in run.stderr
    assert run.json()["email"]["input"] == "eli.sari@gmail.com"


def test_guide_asks_for_the_code_when_it_matters(cli: CLI) -> None:
    """Invalid Authenticator Code: the code typed is checked too (a space in it)."""
    answers = f"3\n5\n{NIP}\n\n\n123 456\n\n"  # the code's source: skipped
    run = cli("guide", "--lang", "en", "--format", "json", input=answers)
    assert "The token or code you entered" in run.stderr
    assert run.json()["token"]["input"] == "123 456"
    plain = cli("guide", "--lang", "en", "--format", "json", input=f"\n1\n{NIP}\n\n\n")
    assert "The token or code you entered" not in plain.stderr
    assert plain.json().get("token") is None


def test_guide_brief(cli: CLI) -> None:
    answers = f"\nOperasi Gagal\n{NIP}\neli@gmail.com  \n\n"
    run = cli("guide", "--brief", "--color", "never", input=answers)
    assert run.exit_code == 1
    assert run.stdout.startswith("Penyebab paling mungkin: Ada 2 spasi di belakang email")
    assert "[email-" not in run.stdout


# ------------------------------------------- the portal answer, the code, device, password


def guide_json(cli: CLI, answers: list[str], *args: str) -> Run:
    return cli("guide", "--format", "json", "--lang", "en", *args, input="\n".join(answers) + "\n")


def remedy_text(run: Run) -> str:
    return json.dumps(run.json()["remedies"], ensure_ascii=False)


def test_guide_remedies_follow_the_portal_answered(cli: CLI) -> None:
    """The profile says asn-digital; the person says MySAPK: MySAPK's remedies."""
    mysapk = guide_json(cli, ["1", "1", NIP, "", ""])
    digital = guide_json(cli, ["3", "1", NIP, "", ""])
    unknown = guide_json(cli, ["4", "1", NIP, "", ""])
    assert "Try Lupa Password again" in remedy_text(mysapk)  # the seed's MySAPK text
    assert "ASN Digital" not in remedy_text(mysapk)
    assert "Reset Password (Lupa Password) in ASN Digital again" in remedy_text(digital)
    assert remedy_text(unknown) == remedy_text(digital)  # "I don't know": the profile's portal


def test_guide_asks_where_the_code_comes_from(cli: CLI) -> None:
    """Invalid Authenticator Code with a code from the email: said so."""
    run = guide_json(cli, ["3", "5", NIP, "", "", "AFM4TK1", "2"])
    assert "Where does the code you typed come from?" in run.stderr
    found = [f for f in run.json()["findings"] if f["code"] == "token-wrong-source"]
    assert [f["message"] for f in found] == [
        "You used a code from the email, but the login (MFA) code from the authenticator app "
        "on your phone is asked for."
    ]
    from_app = guide_json(cli, ["3", "5", NIP, "", "", "123456", "1"])
    assert "token-wrong-source" not in {f["code"] for f in from_app.json()["findings"]}


def test_guide_app_code_where_the_reset_code_is_asked(cli: CLI) -> None:
    run = guide_json(cli, ["3", "7", "kode reset sudah kedaluwarsa", NIP, "", "", "123456", "1"])
    found = [f for f in run.json()["findings"] if f["code"] == "token-wrong-source"]
    assert len(found) == 1
    assert "password reset code sent to the registered email" in found[0]["message"]


def test_guide_asks_laptop_or_phone_where_the_portal_advice_differs(cli: CLI) -> None:
    # "QR code": the code question comes too (skipped here)
    phone = guide_json(cli, ["3", "7", "QR code tidak muncul", "2", NIP, "", "", "", ""])
    assert "Where did you open the portal?" in phone.stderr
    codes = [f["code"] for f in phone.json()["findings"]]
    assert "message-use-laptop" in codes
    assert phone.json()["remedies"][0]["faq"] == "portal-mana"
    laptop = guide_json(cli, ["3", "7", "QR code tidak muncul", "1", NIP, "", "", "", ""])
    assert "message-use-laptop" not in [f["code"] for f in laptop.json()["findings"]]
    # MySAPK worked on a phone too: the question is not asked
    old = guide_json(cli, ["1", "7", "QR code tidak muncul", NIP, "", "", "", ""])
    assert "Where did you open the portal?" not in old.stderr


def test_guide_checks_the_password_under_the_portal_answered(cli: CLI) -> None:
    """After a password message, the new password is read (as `password --stdin` reads it:
    without echo on a terminal), checked with the portal's rule, and never shown."""
    digital = guide_json(cli, ["3", "7", "Reset Password Lemah", NIP, "", "", "1", "Rahasia 1"])
    codes = {f["code"] for f in digital.json()["findings"]}
    assert {"password-inner-space", "password-too-short", "password-no-symbol"} <= codes
    mysapk = guide_json(cli, ["1", "7", "Reset Password Lemah", NIP, "", "", "1", "Rahasia 1"])
    codes = {f["code"] for f in mysapk.json()["findings"]}
    assert "password-inner-space" in codes and "password-too-short" not in codes
    for run in (digital, mysapk):
        assert "Rahasia" not in run.stdout + run.stderr
    declined = guide_json(cli, ["3", "7", "Reset Password Lemah", NIP, "", "", "2"])
    assert not any(f["field"] == "password" for f in declined.json()["findings"])


def test_guide_password_on_a_terminal_goes_through_the_no_echo_prompt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a terminal the guide reads the password with ``read_secret`` (getpass: no echo),
    the path ``sapkcheck password`` uses; only the findings come back."""
    import io

    from sapkcheck.cli import guide
    from sapkcheck.knowledge.i18n import catalog
    from sapkcheck.knowledge.policies import POLICIES

    class TerminalInput(io.StringIO):
        def isatty(self) -> bool:
            return True

    calls: list[bool] = []

    def fake_secret(from_stdin: bool, prompt: str) -> str:
        calls.append(from_stdin)
        return "Rahasia 1"

    monkeypatch.setattr(guide, "read_secret", fake_secret)
    answers = "\n".join(["3", "7", "Reset Password Lemah", NIP, "", "", "1"]) + "\n"
    stderr = io.StringIO()
    result = guide.ask_questions(
        catalog("en"),
        TerminalInput(answers),
        stderr,
        portal_facts=lambda portal: guide.PortalFacts(False, POLICIES["asn-digital"]),
    )
    assert calls == [False]  # not from stdin: the terminal's no-echo prompt
    assert {f.code for f in result.password} >= {"password-inner-space", "password-too-short"}
    assert "Rahasia" not in stderr.getvalue() + repr(result)


@pytest.mark.parametrize("answer", ["²", "٣", NIP * 300, "0003"])
def test_guide_a_menu_answer_that_is_no_menu_number_is_no_crash(cli: CLI, answer: str) -> None:
    # Found by the robustness property: a pasted run of thousands of digits (int() refuses
    # past 4,300) or a superscript digit (isdigit() but not int()) was an internal error.
    run = cli("guide", "--lang", "en", input=f"{answer}\n\n{NIP}\n\n\n")
    assert run.exit_code in (0, 1, 2)
    assert "Internal error" not in run.stderr
