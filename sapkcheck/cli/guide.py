"""Guided mode: ask a member of staff what they see and what they typed, in plain words.

Questions go to stderr and answers are read as whole lines from stdin, so spaces the
person typed (the usual cause of "Operasi Gagal") are kept exactly. Choices are numbered
(for people who cannot copy the portal's text); an answer that cannot be right (a NIP of
17 digits, an email without @) is asked again, at most three times, then taken as it is:
the check then says what is wrong with it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from sapkcheck.cli.prompts import read_line, read_secret
from sapkcheck.errors import UsageProblem
from sapkcheck.findings import Finding
from sapkcheck.knowledge.i18n import Catalog
from sapkcheck.knowledge.policies import PasswordPolicy

TRIES = 3
# Messages where the device matters (activation, the MFA set-up's QR code on a laptop).
_DEVICE_ENTRIES = frozenset(
    {"aktivasi-akun", "mfa-aktivasi", "mfa-qr-tidak-muncul", "mfa-reset", "portal-mana"}
)
PORTALS = ("mysapk", "myasn", "asn-digital", "unknown")
# The common messages, as the portal shows them (menu keys in the catalog's [ui]).
MESSAGES = (
    "operasi-gagal",
    "email-tidak-sesuai",
    "data-not-found",
    "token-tidak-masuk",
    "mfa-kode-salah",
    "captcha-salah",
)
# Messages about a code the person typed: then the code itself is worth checking.
_CODE_MESSAGES = {"mfa-kode-salah"}
_CODE_WORDS = ("token", "kode", "code", "otp")
DEVICES = ("laptop", "phone", "unknown")
CODE_SOURCES = ("app", "email", "unknown")
# Messages about the password itself: then the new password is worth checking.
PASSWORD_ENTRIES = frozenset({"password-lemah", "syarat-password"})


@dataclass(frozen=True, slots=True)
class GuideAnswers:
    message: str | None
    nip: str | None
    email: str | None
    hint: str | None
    token: str | None = None
    portal: str = "unknown"
    device: str | None = None  # DEVICES, asked where the portal's advice differs
    code_source: str | None = None  # CODE_SOURCES, asked when the code matters
    password: tuple[Finding, ...] = ()  # the findings of the password typed, never itself


class _Asker:
    def __init__(self, text: Catalog, stdin: TextIO, stderr: TextIO) -> None:
        self.text, self.stdin, self.stderr = text, stdin, stderr

    def ask(self, question: str) -> str | None:
        """One answer without its line ending; None when left empty."""
        self.stderr.write(question + "\n> ")
        self.stderr.flush()
        answer = read_line(self.stdin)
        if answer is None:
            raise UsageProblem("error-input-closed")
        return answer if answer.strip() else None

    def ask_checked(self, question: str, problem: Callable[[str], str | None]) -> str | None:
        """Ask until ``problem`` has nothing to say, at most TRIES times; then go on with
        the last answer."""
        answer = None
        for attempt in range(1, TRIES + 1):
            answer = self.ask(question)
            said = problem(answer) if answer is not None else None
            if said is None:
                return answer
            again = "guide-retry" if attempt < TRIES else "guide-continue"
            self.stderr.write(f"{said} {self.text.ui(again)}\n")
        return answer

    def choose(self, question: str, labels: list[str], free: bool = False) -> int | str | None:
        """A numbered choice: its index, or (``free``) the text typed instead."""
        lines = [question] + [f"  {n}. {label}" for n, label in enumerate(labels, start=1)]

        def problem(answer: str) -> str | None:
            if free or _number(answer, len(labels)) is not None:
                return None
            return self.text.ui("guide-not-a-choice", last=len(labels))

        answer = self.ask_checked("\n".join(lines), problem)
        if answer is None:
            return None
        number = _number(answer, len(labels))
        if number is not None:
            return number - 1
        return answer if free else None


def _number(answer: str, last: int) -> int | None:
    """A menu choice ``1``..``last``; anything else (``²``, a pasted NIP of thousands of
    digits) is not a number of this menu."""
    value = answer.strip().rstrip(".")
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(last)):
        return None
    return int(value) if 1 <= int(value) <= last else None


def nip_problem(text: Catalog) -> Callable[[str], str | None]:
    def problem(answer: str) -> str | None:
        digits = sum(ch.isdigit() for ch in answer)
        if digits in (18, 9) or any(ch.isalpha() for ch in answer.replace("NIP", "")):
            return None  # 9: the old NIP, letters: a typo; the check explains both
        return text.ui("guide-nip-digits", count=digits)

    return problem


def email_problem(text: Catalog) -> Callable[[str], str | None]:
    def problem(answer: str) -> str | None:
        return None if "@" in answer or "\uff20" in answer else text.ui("guide-email-at")

    return problem


def hint_problem(text: Catalog) -> Callable[[str], str | None]:
    from sapkcheck.checks.email.compare import parse_hint

    def problem(answer: str) -> str | None:
        try:
            parse_hint(answer)
        except UsageProblem as error:
            return text.ui(error.key, **error.params)
        return None

    return problem


@dataclass(frozen=True, slots=True)
class PortalFacts:
    """What the guide needs to know of a portal: whether a phone gets other advice
    (``laptop``) and the password rule in force there."""

    laptop: bool
    policy: PasswordPolicy


def ask_questions(
    text: Catalog,
    stdin: TextIO | None = None,
    stderr: TextIO | None = None,
    portal_facts: Callable[[str], PortalFacts] | None = None,
) -> GuideAnswers:
    """Ask, and check the password on the spot (only its findings are kept).
    ``portal_facts(portal)`` for the portal answered ("unknown": the profile's)."""
    asker = _Asker(text, stdin or sys.stdin, stderr or sys.stderr)
    asker.stderr.write(text.ui("guide-intro") + "\n\n")
    portal_labels = [text.ui(f"guide-portal-{name}") for name in PORTALS]
    portal = asker.choose(text.ui("guide-portal"), portal_labels)
    portal_id = PORTALS[portal] if isinstance(portal, int) else "unknown"

    labels = [text.ui(f"guide-menu-{name}") for name in MESSAGES] + [text.ui("guide-menu-other")]
    chosen = asker.choose(text.ui("guide-message"), labels, free=True)
    message: str | None
    if isinstance(chosen, int) and chosen < len(MESSAGES):
        message = labels[chosen]
    elif isinstance(chosen, int):
        message = asker.ask(text.ui("guide-message-type"))
    else:
        message = chosen
    from sapkcheck.diagnosis import recognize_message

    entry = recognize_message(message)[0].faq if message is not None else None
    facts = portal_facts(portal_id) if portal_facts is not None else None
    device = None
    if facts is not None and facts.laptop and entry in _DEVICE_ENTRIES:
        device = _pick(asker, text, "guide-device", DEVICES)
    code_matters = (
        isinstance(chosen, int) and chosen < len(MESSAGES) and MESSAGES[chosen] in _CODE_MESSAGES
    ) or (isinstance(message, str) and any(word in message.lower() for word in _CODE_WORDS))

    nip = asker.ask_checked(text.ui("guide-nip"), nip_problem(text))
    email = asker.ask_checked(text.ui("guide-email"), email_problem(text))
    hint = asker.ask_checked(text.ui("guide-hint"), hint_problem(text))
    if hint is not None and hint_problem(text)(hint) is not None:
        hint = None  # still malformed after three tries: checked without it
    token = asker.ask(text.ui("guide-token")) if code_matters else None
    code_source = _pick(asker, text, "guide-code-source", CODE_SOURCES) if code_matters else None
    password: tuple[Finding, ...] = ()
    if facts is not None and entry in PASSWORD_ENTRIES:
        password = _check_password(asker, text, facts.policy)
    asker.stderr.write("\n")
    return GuideAnswers(
        message=message,
        nip=nip,
        email=email,
        hint=hint,
        token=token,
        portal=portal_id,
        device=device,
        code_source=code_source,
        password=password,
    )


def _pick(asker: _Asker, text: Catalog, key: str, choices: tuple[str, ...]) -> str | None:
    """A numbered choice among ``choices`` (labels ``key-<choice>``); None when skipped."""
    labels = [text.ui(f"{key}-{choice}") for choice in choices]
    chosen = asker.choose(text.ui(key), labels)
    return choices[chosen] if isinstance(chosen, int) else None


def _check_password(asker: _Asker, text: Catalog, policy: PasswordPolicy) -> tuple[Finding, ...]:
    """Offer to check the new password: read without echo on a terminal (one line of stdin
    otherwise), checked at once, then dropped. Only the findings leave this function."""
    if _pick(asker, text, "guide-password", ("yes", "no")) != "yes":
        return ()
    from sapkcheck.checks.password import check_password

    asker.stderr.write(text.ui("password-prompt") + " ")
    asker.stderr.flush()
    secret = read_secret(not asker.stdin.isatty(), "")
    asker.stderr.write("\n")
    findings = check_password(secret, policy)
    del secret
    return findings
