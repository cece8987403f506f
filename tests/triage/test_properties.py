"""Properties: any text parses and extracts without crashing, within bounds; chats written
in either layout read back as the messages that were written."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sapkcheck.triage.chat import MAX_MESSAGE_CHARS, parse_chat_text
from sapkcheck.triage.extract import MAX_SCAN_CHARS, MAX_VALUES, extract
from sapkcheck.triage.questions import group_questions

# Characters that matter to the parsers: header pieces, separators, marks, at signs.
TRICKY = "0123456789/.-:,[] \n\r\t@\uff20*_~<>\"'\u200e\u202f\u00a0\u200b\ufeffAPMapm"
tricky_text = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(), max_size=400)


@given(tricky_text)
def test_any_text_parses_within_bounds(text: str) -> None:
    result = parse_chat_text(text)
    messages = list(result)
    assert result.layout in ("android", "ios", None)
    for message in messages:
        assert len(message.text) <= MAX_MESSAGE_CHARS
        assert message.kind in ("text", "media", "deleted", "system")
    for question in group_questions(messages, admins=["Admin"]):
        assert question.text.strip()


@given(tricky_text)
def test_any_text_extracts_within_bounds(text: str) -> None:
    found = extract(text)
    for values in (found.nip, found.email, found.token, found.masked):
        assert len(values) <= MAX_VALUES
        assert len(set(values)) == len(values)
        for value in values:
            assert value and value in text[:MAX_SCAN_CHARS]
    assert len(found.remainder) <= len(text)


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.sampled_from("a1@ .-*_<>\n"), min_size=0, max_size=MAX_SCAN_CHARS))
def test_long_text_stays_fast(text: str) -> None:
    started = time.perf_counter()
    extract(text * 3)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    "text",
    [
        "a@" * 20_000,
        "@" * 40_000,
        "a" * 40_000 + "@" + "b" * 40_000,
        "1 " * 20_000,
        "1." * 20_000,
        "token " * 10_000,
        "nip " * 10_000,
        ("x" * 70 + "@") * 1000,
        "02/12/26 09.15 - Budi: " + " " * 30_000 + "x>",
        "02/12/26 09.15 - Budi: " + "\u200e" * 30_000 + "<Pesan ini diedit>",
        "02/12/26 09.15 - Budi: " + "a." * 20_000 + " (file attached)",
    ],
)
def test_pathological_text_stays_fast(text: str) -> None:
    started = time.perf_counter()
    extract(text)
    list(parse_chat_text(text))
    assert time.perf_counter() - started < 2.0


SENDERS = ["Budi", "Sari Dewi", "+62 812-3456-7890", "~\u202fRudi", "Pak Eko (BKPP)", "Admin"]
# No "-", "[", "<" or "null": a continuation line cannot look like a header or a marker.
LINE = st.text(alphabet=st.sampled_from("aeioskt0123456789 .,:@*_~🙏é\u200b"), min_size=1)
BODY = st.lists(LINE.filter(lambda line: line.strip() != ""), min_size=1, max_size=4).map("\n".join)
HEADERS = {
    "android-id": ("{d:02d}/12/26 09.{m:02d} - ", "{d:02d}/12/26 09.{m:02d}"),
    "android-en": ("12/{d}/26, 9:{m:02d}\u202fAM - ", "12/{d}/26, 9:{m:02d}\u202fAM"),
    "ios-id": ("[{d:02d}/12/26 09.{m:02d}.05] ", "{d:02d}/12/26 09.{m:02d}.05"),
    "ios-en": ("\u200e[12/{d}/26, 9:{m:02d}:05\u202fPM] ", "12/{d}/26, 9:{m:02d}:05\u202fPM"),
}


@given(
    st.sampled_from(sorted(HEADERS)),
    st.lists(st.tuples(st.sampled_from(SENDERS), BODY), min_size=1, max_size=8),
    st.booleans(),
)
def test_written_chats_read_back(layout: str, written: list[tuple[str, str]], crlf: bool) -> None:
    header, stamp = HEADERS[layout]
    lines = []
    for i, (sender, body) in enumerate(written):
        lines.append(header.format(d=i + 1, m=i) + f"{sender}: {body}")
    text = "\n".join(lines) + "\n"
    result = parse_chat_text(text.replace("\n", "\r\n") if crlf else text)
    read = list(result)
    assert result.layout == layout.split("-")[0]
    assert [(m.sender, m.text, m.kind) for m in read] == [
        (sender.strip(), body, "text") for sender, body in written
    ]
    assert [m.time for m in read] == [stamp.format(d=i + 1, m=i) for i in range(len(written))]
    runs = [
        sender for i, (sender, _) in enumerate(written) if i == 0 or written[i - 1][0] != sender
    ]
    questions = list(group_questions(read))
    assert [q.sender for q in questions] == runs
