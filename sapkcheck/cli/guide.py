"""Guided mode: ask a member of staff what they see and what they typed, in plain words.

Questions go to stderr and answers are read as whole lines from stdin, so spaces the
person typed (the usual cause of "Operasi Gagal") are kept exactly.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

from sapkcheck.cli.prompts import read_line
from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import Catalog

_HINT_TRIES = 3


def _ask(question: str, stdin: TextIO, stderr: TextIO) -> str | None:
    """One answer without its line ending; None when left empty."""
    stderr.write(question + "\n> ")
    stderr.flush()
    answer = read_line(stdin)
    if answer is None:
        raise UsageProblem("error-input-closed")
    return answer if answer.strip() else None


@dataclass(frozen=True, slots=True)
class GuideAnswers:
    message: str | None
    nip: str | None
    email: str | None
    hint: str | None


def ask_questions(
    text: Catalog, stdin: TextIO | None = None, stderr: TextIO | None = None
) -> GuideAnswers:
    from sapkcheck.checks.email.compare import parse_hint

    stdin, stderr = stdin or sys.stdin, stderr or sys.stderr
    stderr.write(text.ui("guide-intro") + "\n\n")
    message = _ask(text.ui("guide-message"), stdin, stderr)
    nip = _ask(text.ui("guide-nip"), stdin, stderr)
    email = _ask(text.ui("guide-email"), stdin, stderr)
    hint = None
    for _ in range(_HINT_TRIES):
        hint = _ask(text.ui("guide-hint"), stdin, stderr)
        if hint is None:
            break
        try:
            parse_hint(hint)
        except UsageProblem as problem:
            stderr.write(f"{text.ui(problem.key, **problem.params)} {text.ui('guide-retry')}\n")
            hint = None
            continue
        break
    stderr.write("\n")
    return GuideAnswers(message=message, nip=nip, email=email, hint=hint)
