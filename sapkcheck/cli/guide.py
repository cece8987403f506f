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

from sapkcheck.cli.prompts import read_line
from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import Catalog

TRIES = 3
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


@dataclass(frozen=True, slots=True)
class GuideAnswers:
    message: str | None
    nip: str | None
    email: str | None
    hint: str | None
    token: str | None = None
    portal: str = "unknown"


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
    value = answer.strip().rstrip(".")
    return int(value) if value.isdigit() and 1 <= int(value) <= last else None


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


def ask_questions(
    text: Catalog, stdin: TextIO | None = None, stderr: TextIO | None = None
) -> GuideAnswers:
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
    code_matters = (
        isinstance(chosen, int) and chosen < len(MESSAGES) and MESSAGES[chosen] in _CODE_MESSAGES
    ) or (isinstance(message, str) and any(word in message.lower() for word in _CODE_WORDS))

    nip = asker.ask_checked(text.ui("guide-nip"), nip_problem(text))
    email = asker.ask_checked(text.ui("guide-email"), email_problem(text))
    hint = asker.ask_checked(text.ui("guide-hint"), hint_problem(text))
    if hint is not None and hint_problem(text)(hint) is not None:
        hint = None  # still malformed after three tries: checked without it
    token = asker.ask(text.ui("guide-token")) if code_matters else None
    asker.stderr.write("\n")
    return GuideAnswers(
        message=message, nip=nip, email=email, hint=hint, token=token, portal=portal_id
    )
