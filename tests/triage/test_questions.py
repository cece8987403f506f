"""Questions: consecutive messages of one sender, admins' answers left out."""

from __future__ import annotations

import pytest

from sapkcheck.triage.chat import ChatMessage, parse_chat_text
from sapkcheck.triage.markers import Kind
from sapkcheck.triage.questions import MAX_QUESTION_CHARS, Question, group_questions, sender_key

CHAT = """\
02/12/26 09.15 - Pesan dan panggilan dienkripsi secara end-to-end.
02/12/26 09.16 - Budi: Assalamualaikum pak
02/12/26 09.16 - Budi: <Media tidak disertakan>
02/12/26 09.17 - Budi: sy mau aktivasi tp muncul operasi gagal
nip 19860926 201505 1 001
02/12/26 09.17 - Sari bergabung menggunakan tautan undangan grup ini
02/12/26 09.18 - Budi: email eli.sari@gmail.com\x20
02/12/26 09.20 - admin bkpp: hapus spasi di belakang email ya pak
02/12/26 09.21 - Budi: siap pak, terima kasih 🙏
02/12/26 09.22 - +62 812-3456-7890: Pak token sy tdk masuk2
02/12/26 09.23 - Sari: Pesan ini telah dihapus
02/12/26 09.24 - +62 812-3456-7890: udh 2 hari
"""


def questions(text: str, admins: tuple[str, ...] = ("Admin BKPP",)) -> list[Question]:
    return list(group_questions(parse_chat_text(text), admins))


def test_questions_of_a_chat() -> None:
    found = questions(CHAT)
    assert [(q.sender, q.time, q.lines) for q in found] == [
        ("Budi", "02/12/26 09.16", (2, 4, 7)),
        ("Budi", "02/12/26 09.21", (9,)),
        ("+62 812-3456-7890", "02/12/26 09.22", (10,)),
        ("+62 812-3456-7890", "02/12/26 09.24", (12,)),
    ]
    assert found[0].text == (
        "Assalamualaikum pak\nsy mau aktivasi tp muncul operasi gagal\n"
        "nip 19860926 201505 1 001\nemail eli.sari@gmail.com "
    )


def test_without_admins_the_answer_is_a_question_too() -> None:
    senders = [q.sender for q in questions(CHAT, admins=())]
    assert senders[:3] == ["Budi", "admin bkpp", "Budi"]


def message(sender: str | None, text: str, kind: Kind = "text", line: int = 1) -> ChatMessage:
    return ChatMessage(sender, "t", text, kind, line)


def test_media_of_the_same_sender_does_not_split() -> None:
    found = list(
        group_questions([message("A", "1"), message("A", "x", "media"), message("A", "2")])
    )
    assert [q.text for q in found] == ["1\n2"]


def test_deleted_message_of_another_sender_splits() -> None:
    found = list(
        group_questions([message("A", "1"), message("B", "x", "deleted"), message("A", "2")])
    )
    assert [q.text for q in found] == ["1", "2"]


def test_system_line_does_not_split() -> None:
    found = list(
        group_questions([message("A", "1"), message(None, "B joined", "system"), message("A", "2")])
    )
    assert [q.text for q in found] == ["1\n2"]


def test_only_media_makes_no_question() -> None:
    assert list(group_questions([message("A", "<Media omitted>", "media")])) == []


def test_plain_paste_is_one_question_without_sender() -> None:
    (question,) = questions("halo pak\ntoken sy tdk masuk")
    assert question.sender is None and question.time is None
    assert question.text == "halo pak\ntoken sy tdk masuk"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Admin BKPP", "  admin   bkpp "),
        ("~\u202fRudi", "rudi"),
        ("\u2068Admin\u2069", "ADMIN"),
        ("+62 812-3456-7890", "081234567890"),
        ("+62 812 3456 7890", "6281234567890"),
    ],
)
def test_sender_key_matches_spellings(a: str, b: str) -> None:
    assert sender_key(a) == sender_key(b)


def test_sender_key_keeps_different_people_apart() -> None:
    assert sender_key("Budi") != sender_key("Budi S")
    assert sender_key("+62 812-3456-7890") != sender_key("+62 812-3456-7891")


def test_question_text_is_capped() -> None:
    parts = [message("A", "x" * 9000, line=i) for i in range(5)]
    (question,) = list(group_questions(parts))
    assert len(question.text) == MAX_QUESTION_CHARS
    assert question.truncated
    assert question.lines == (0, 1, 2, 3, 4)
