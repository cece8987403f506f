"""Output of ``sapkcheck triage``: per question, the diagnosis and the reply to send.

Three formats behind one interface (``TriageWriter``): ``text`` (one block per question, as
``check`` prints it, plus the reply), ``json`` (the documented contract, streamed question
by question) and ``reply`` (only the replies, ready to paste). ``--mask`` hides senders,
phone numbers, NIPs, emails and tokens everywhere.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from sapkcheck.batch.masking import (
    PIECE,
    Masker,
    free_text_personal,
    mask_email,
    mask_nip,
    mask_value,
    masked_finding,
    stated_passwords,
)
from sapkcheck.render.json_out import SCHEMA_VERSION, check_document
from sapkcheck.render.reply import build_reply
from sapkcheck.triage.names import SenderNames, name_variants
from sapkcheck.triage.questions import sender_key

if TYPE_CHECKING:
    from rich.console import Console

    from sapkcheck.diagnosis import CheckReport
    from sapkcheck.findings import Finding
    from sapkcheck.knowledge.i18n import Catalog
    from sapkcheck.triage.chat import Layout
    from sapkcheck.triage.run import Diagnosed


_PUBLIC_MIN = 6  # a shorter value found in a reply's text is a coincidence, not a quote


class Hider:
    """``--mask`` for one run: senders become "Pengirim 1", "Pengirim 2" (stable within the
    run; two spellings of one sender, as :func:`sender_key` compares them, share one);
    personal values, and phone numbers and the like the question mentions, become masks
    wherever they are quoted. ``senders``: the chat's senders known before its first
    question (a name mentioned before its owner writes is hidden too); ``public``: the
    texts the replies quote on purpose (the profile's placeholder values: the region's
    contact address, the portal's sender): a value they hold is not personal, and a
    question that quotes it ("sudah email ke helpdesk@…") leaves the reply intact."""

    def __init__(
        self, text: Catalog, senders: Iterable[str] = (), public: Iterable[str] = ()
    ) -> None:
        self.text = text
        self._senders: dict[str, str] = {}  # sender_key -> alias
        self._names = SenderNames()
        self._public = tuple(value.casefold() for value in public if value)
        for name in senders:  # known, numbered when first shown
            self._add_name(name)

    def sender(self, name: str | None) -> str | None:
        if name is None:
            return None
        return self._alias(self._add_name(name))

    def _add_name(self, name: str) -> str:
        key = sender_key(name)
        for variant in name_variants(name):
            self._names.add(variant, key)
        return key

    def _alias(self, key: str) -> str:
        """The sender's alias, numbered in the order senders are first shown."""
        if key not in self._senders:
            number = len(self._senders) + 1
            self._senders[key] = self.text.ui("triage-sender", number=number)
        return self._senders[key]

    def rename(self, value: str) -> str:
        """Each sender's name in the chat's words ``value`` as their alias, the longest name
        first ("Budi Santoso" before "Budi"), whole words only ("Ani" is not renamed inside
        "Rani"), in any case ("pak budi santoso"; :meth:`SenderNames.replace`)."""
        return self._names.replace(value, self._alias, any_case=True)

    def for_question(self, diagnosed: Diagnosed) -> QuestionHider:
        report, question = diagnosed.report, diagnosed.question
        self.sender(question.sender)  # every sender seen so far gets its alias
        # the sender's name is not among them: the names' trie renames it, as a whole word
        # ("Ani" writing "Anita", or a sender "Bu" asking, left "An*****ta", "Bu*****ka")
        personal: list[str | None] = []
        if report.found is not None:
            found = report.found
            personal += [*found.nip, *found.email, *found.token, *found.masked]
        if report.nip is not None:
            personal += [report.nip.info.input, report.nip.info.normalized]
        if report.email is not None:
            info = report.email.info
            personal += [info.input, info.normalized, report.email.cleaned, *info.suggestions]
        if report.token is not None:
            personal += [report.token.info.input, report.token.info.normalized]
        # What the chat says in passing (a NIK, a phone number) is looked for in the
        # question only, then hidden wherever it is quoted: replies stay as the catalog has them.
        pieces = free_text_personal(question.text)
        values = [value for value in personal if value and not self._is_public(value)]
        masks = {piece: mask for piece, mask in pieces.items() if not self._is_public(piece)}
        passwords = stated_passwords(question.text)
        for value in [*values, *masks]:
            # a password read as an address, a digit run or a token ("Sumbawa@2024") is
            # hidden whole, not shaped like one ("Su*****@2024")
            if any(password in value for password in passwords):
                masks[value.strip()] = PIECE
        return QuestionHider(self, Masker(values, masks), passwords)

    def _is_public(self, value: str) -> bool:
        value = value.strip().casefold()
        return len(value) >= _PUBLIC_MIN and any(value in text for text in self._public)


class QuestionHider:
    """``--mask`` for one question. Called on any text it shows (a reply's line, a finding's
    message): the personal values masked. :meth:`chat` on the chat's own words: those
    values, the words stated as the password, and the senders' names (in any case) too;
    a reply's sentences keep their words, and an office that writes in the group (an
    ``--admin``) keeps its name where the catalog or profile names it."""

    def __init__(self, hider: Hider, masker: Masker, passwords: Iterable[str]) -> None:
        self._hider = hider
        self._masker = masker
        words = sorted(passwords, key=lambda word: (-len(word), word))
        self._passwords = (
            re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)") if words else None
        )

    def __call__(self, value: str) -> str:
        return self._masker(value) or ""

    def chat(self, value: str) -> str:
        # the passwords first (a value's mask would keep part of one), then the values (a
        # value may hold a sender's name), then the names
        if self._passwords is not None:
            value = self._passwords.sub(PIECE, value)
        return self._hider.rename(self(value))


def masked_report(report: CheckReport) -> CheckReport:
    """``report`` with every finding's personal parameters masked before any sentence is
    phrased (as a batch row's are): a quoted piece (the first digits of a full-width NIP)
    is never left for a substring search to miss."""

    def masked(findings: Sequence[Finding]) -> list[Finding]:
        return [masked_finding(finding) for finding in findings]

    nip, email, token = report.nip, report.email, report.token
    return dataclasses.replace(
        report,
        nip=None if nip is None else dataclasses.replace(nip, findings=tuple(masked(nip.findings))),
        email=None
        if email is None
        else dataclasses.replace(email, findings=tuple(masked(email.findings))),
        token=None
        if token is None
        else dataclasses.replace(token, findings=tuple(masked(token.findings))),
        message_findings=masked(report.message_findings),
        answer_findings=masked(report.answer_findings),
    )


def question_document(
    diagnosed: Diagnosed,
    text: Catalog,
    context: Mapping[str, str],
    hider: Hider | None = None,
) -> dict[str, Any]:
    """One question as the JSON contract has it (README, "triage")."""
    question, report = diagnosed.question, diagnosed.report
    hide = hider.for_question(diagnosed) if hider else None
    report = masked_report(report) if hider else report
    document = check_document(report, text, context)
    found = report.found
    nips = list(found.nip) if found else []
    emails = list(found.email) if found else []
    tokens = list(found.token) if found else []
    reply = build_reply(report, text, context, hide=hide)
    sender, body = question.sender, question.text
    if hider is not None and hide is not None:
        sender = hider.sender(sender)
        body = hide.chat(body)
        nips = [mask_nip(v.strip()) for v in nips]
        emails = [mask_email(v.strip()) for v in emails]
        tokens = [mask_value(v.strip()) for v in tokens]
        _mask_check_document(document, hide, hide.chat)
    return {
        "sender": sender,
        "time": question.time,
        "text": body,
        "found": {
            "nip": nips,
            "email": emails,
            "token": tokens,
            "message": report.message.quoted if report.message else None,
        },
        "report": document,
        "reply": reply,
    }


def _mask_check_document(
    document: dict[str, Any], hide: Callable[[str], str], hide_chat: Callable[[str], str]
) -> None:
    nip = document.get("nip")
    if nip is not None:
        nip["input"] = hide(nip["input"])
        nip["normalized"] = mask_nip(nip["normalized"]) if nip["normalized"] else None
        for key in ("birth_date", "appointed", "sex", "serial", "contract"):
            nip[key] = None
    email = document.get("email")
    if email is not None:
        for key in ("input", "normalized", "registered", "hint"):
            email[key] = hide(email[key]) if email[key] else email[key]
        email["suggestions"] = [hide(s) for s in email["suggestions"]]
    token = document.get("token")
    if token is not None:
        token["input"] = hide(token["input"])
        token["normalized"] = mask_value(token["normalized"]) if token["normalized"] else None
    message = document.get("message")
    if message is not None:
        message["input"] = hide_chat(message["input"])
    for finding in document["findings"]:
        finding["message"] = hide(finding["message"])
        finding["remedy"] = hide(finding["remedy"]) if finding["remedy"] else None


class TriageWriter(Protocol):
    def start(self, layout: Layout | None, chat: bool) -> None: ...
    def add(self, diagnosed: Diagnosed) -> None: ...
    def close(self, count: int) -> None: ...


class JsonTriageWriter:
    """``{"schema_version": 1, "layout": ..., "questions": [...]}``, one question at a time."""

    def __init__(
        self, stream: TextIO, text: Catalog, context: Mapping[str, str], hider: Hider | None
    ) -> None:
        self.stream, self.text, self.context, self.hider = stream, text, context, hider
        self.count = 0

    def start(self, layout: Layout | None, chat: bool) -> None:
        head = {"schema_version": SCHEMA_VERSION, "layout": layout}
        self.stream.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "questions": [')

    def add(self, diagnosed: Diagnosed) -> None:
        document = question_document(diagnosed, self.text, self.context, self.hider)
        separator = "," if self.count else ""
        self.stream.write(separator + "\n  " + json.dumps(document, ensure_ascii=False))
        self.count += 1

    def close(self, count: int) -> None:
        self.stream.write(("\n" if self.count else "") + "]}\n")
        self.stream.flush()


class ReplyTriageWriter:
    """Only the replies; with several questions, each under the sender and time it answers."""

    def __init__(
        self, stream: TextIO, text: Catalog, context: Mapping[str, str], hider: Hider | None
    ) -> None:
        self.stream, self.text, self.context, self.hider = stream, text, context, hider
        self.count = 0

    def start(self, layout: Layout | None, chat: bool) -> None:
        self.chat = chat

    def add(self, diagnosed: Diagnosed) -> None:
        hide = self.hider.for_question(diagnosed) if self.hider else None
        report = masked_report(diagnosed.report) if self.hider else diagnosed.report
        reply = build_reply(report, self.text, self.context, hide=hide)
        if self.count:
            self.stream.write("\n")
        if self.chat:
            self.stream.write(_heading(diagnosed, self.text, self.hider) + "\n")
        self.stream.write(reply + "\n")
        self.count += 1

    def close(self, count: int) -> None:
        self.stream.flush()


class TextTriageWriter:
    """One block per question: the check report, then the reply to send."""

    def __init__(
        self, console: Console, text: Catalog, context: Mapping[str, str], hider: Hider | None
    ) -> None:
        self.console, self.text, self.context, self.hider = console, text, context, hider

    def start(self, layout: Layout | None, chat: bool) -> None:
        from rich.text import Text

        if chat and layout is None:
            self.console.print(Text(self.text.ui("triage-layout-unknown"), "yellow"))
            self.console.print()

    def add(self, diagnosed: Diagnosed) -> None:
        from rich.text import Text

        from sapkcheck.render.console import print_indented
        from sapkcheck.render.text import render_check

        hide = self.hider.for_question(diagnosed) if self.hider else None
        self.console.print(Text(_heading(diagnosed, self.text, self.hider), "bold"))
        if hide is None:
            render_check(diagnosed.report, self.text, self.context, self.console)
        else:  # the masked JSON shapes, as text: the doctor-style view would show values
            document = question_document(diagnosed, self.text, self.context, self.hider)
            for finding in document["report"]["findings"]:
                line = Text(f"[{finding['code']}] {finding['message']}")
                print_indented(self.console, line, 2)
        self.console.print()
        self.console.print(Text(self.text.ui("triage-reply"), "bold"))
        report = diagnosed.report if hide is None else masked_report(diagnosed.report)
        reply = build_reply(report, self.text, self.context, hide=hide)
        for reply_line in reply.splitlines():
            print_indented(self.console, Text(reply_line), 2)
        self.console.print()

    def close(self, count: int) -> None:
        from rich.text import Text

        if count == 0:
            self.console.print(Text(self.text.ui("triage-no-questions"), "yellow"))


def _heading(diagnosed: Diagnosed, text: Catalog, hider: Hider | None) -> str:
    question = diagnosed.question
    sender = hider.sender(question.sender) if hider else question.sender
    parts = [text.ui("triage-question", number=diagnosed.number)]
    parts += [part for part in (sender, question.time) if part]
    return "— " + " · ".join(parts) + " —"
