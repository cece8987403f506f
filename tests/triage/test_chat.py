"""WhatsApp exports in every layout the parser claims to read, written as phones write them."""

from __future__ import annotations

import io

import pytest

from sapkcheck.triage.chat import (
    MAX_MESSAGE_CHARS,
    ChatMessage,
    parse_chat,
    parse_chat_text,
    read_lines,
)

NNBSP = "\u202f"
LRM = "\u200e"

ANDROID_ID = """\
02/12/26 09.15 - Pesan dan panggilan dienkripsi secara end-to-end. Tidak seorang pun di luar \
chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya. Ketuk untuk mempelajari \
selengkapnya.
02/12/26 09.15 - Admin BKPP membuat grup "Helpdesk MySAPK"
02/12/26 09.16 - Budi Santoso bergabung menggunakan tautan undangan grup ini
02/12/26 09.17 - Budi Santoso: Assalamualaikum pak
02/12/26 09.17 - Budi Santoso: sy mau aktivasi tp muncul operasi gagal
nip 19860926 201505 1 001
email eli.sari@gmail.com\x20
02/12/26 09.18 - Budi Santoso: <Media tidak disertakan>
02/12/26 09.19 - +62 812-3456-7890: Pesan ini telah dihapus
02/12/26 09.20 - Admin BKPP: Waalaikumsalam, hapus spasi di belakang email ya pak
"""

ANDROID_EN = f"""\
12/2/26, 9:15{NNBSP}AM - Messages and calls are end-to-end encrypted. No one outside of this \
chat, not even WhatsApp, can read or listen to them. Tap to learn more.
12/2/26, 9:16{NNBSP}AM - Sari added Budi
12/2/26, 9:17{NNBSP}AM - Budi: Token not received
12/2/26, 9:18{NNBSP}AM - Budi: <Media omitted>
12/2/26, 9:19{NNBSP}PM - Sari: This message was deleted
12/2/26, 9:20{NNBSP}PM - Sari: You deleted this message
12/2/26, 9:21{NNBSP}PM - Budi: IMG-20261202-WA0003.jpg (file attached)
the screen says Operasi Gagal
"""

IOS_ID = f"""\
[02/12/26 09.15.32] Helpdesk MySAPK: {LRM}Pesan dan panggilan terenkripsi secara end-to-end.
[02/12/26 09.15.40] Helpdesk MySAPK: {LRM}Admin BKPP menambahkan Sari
{LRM}[02/12/26 09.16.01] Sari: {LRM}gambar tidak disertakan
[02/12/26 09.16.30] Sari: Pak token sy tdk masuk2
udh 2 hari
[02/12/26 09.17.00] Sari: {LRM}Pesan ini telah dihapus.
"""

IOS_EN = f"""\
[2/12/26, 9:15:32{NNBSP}AM] MySAPK help: {LRM}Messages and calls are end-to-end encrypted.
{LRM}[2/12/26, 9:16:00{NNBSP}AM] Eli: {LRM}<attached: 00000012-PHOTO-2026-12-02-09-16-00.jpg>
[2/12/26, 9:16:05{NNBSP}AM] Eli: Data not found in AUTH BKN{LRM} <This message was edited>
[2/12/26, 9:17:05{NNBSP}PM] Eli: {LRM}This message was deleted.
[2/12/26, 21:18:05] ~{NNBSP}Rudi: 24-hour clock on the same phone
"""


def parse(text: str) -> tuple[str | None, list[ChatMessage]]:
    result = parse_chat_text(text)
    return result.layout, list(result)


def test_android_indonesian() -> None:
    layout, messages = parse(ANDROID_ID)
    assert layout == "android"
    assert [m.kind for m in messages] == [
        "system", "system", "system", "text", "text", "media", "deleted", "text",
    ]  # fmt: skip
    assert [m.sender for m in messages[3:]] == [
        "Budi Santoso", "Budi Santoso", "Budi Santoso", "+62 812-3456-7890", "Admin BKPP",
    ]  # fmt: skip
    multi = messages[4]
    assert multi.time == "02/12/26 09.17"
    assert multi.line == 5
    assert multi.text == (
        "sy mau aktivasi tp muncul operasi gagal\nnip 19860926 201505 1 001\n"
        "email eli.sari@gmail.com "
    )


def test_android_english_12_hour_clock() -> None:
    result = parse_chat_text(ANDROID_EN)
    messages = list(result)
    assert result.layout == "android"
    assert [m.kind for m in messages] == ["system", "system", "text", "media", "deleted",
                                          "deleted", "text"]  # fmt: skip
    assert messages[2].time == f"12/2/26, 9:17{NNBSP}AM"
    assert messages[2].text == "Token not received"
    captioned = messages[6]
    assert captioned.attachment and captioned.text == "the screen says Operasi Gagal"
    assert result.date_order == "mdy"


def test_ios_indonesian() -> None:
    result = parse_chat_text(IOS_ID)
    messages = list(result)
    assert result.layout == "ios"
    assert [m.kind for m in messages] == ["system", "system", "media", "text", "deleted"]
    assert messages[3].sender == "Sari"
    assert messages[3].time == "02/12/26 09.16.30"
    assert messages[3].text == "Pak token sy tdk masuk2\nudh 2 hari"
    assert messages[3].line == 4
    assert result.date_order == "dmy"


def test_ios_english_marks_and_edits() -> None:
    layout, messages = parse(IOS_EN)
    assert layout == "ios"
    assert [m.kind for m in messages] == ["system", "media", "text", "deleted", "text"]
    edited = messages[2]
    assert edited.text == "Data not found in AUTH BKN"
    assert edited.edited
    assert edited.time == f"2/12/26, 9:16:05{NNBSP}AM"
    assert messages[4].time == "2/12/26, 21:18:05"
    assert messages[4].sender == f"~{NNBSP}Rudi"


@pytest.mark.parametrize(
    ("header", "time"),
    [
        ("02/12/2026 09.15 - ", "02/12/2026 09.15"),
        ("02-12-26 09:15 - ", "02-12-26 09:15"),
        ("02.12.26 09.15 - ", "02.12.26 09.15"),
        ("2/12/26, 21:15 - ", "2/12/26, 21:15"),
        ("12/2/26, 9:15 pm - ", "12/2/26, 9:15 pm"),
        ("12/2/26, 9:15\u00a0a.m. - ", "12/2/26, 9:15\u00a0a.m."),
        ("[02/12/2026, 09:15:32] ", "02/12/2026, 09:15:32"),
        ("[02.12.26 09.15.32] ", "02.12.26 09.15.32"),
        ("\u200e[2/12/26, 9:15:32 AM] ", "2/12/26, 9:15:32 AM"),
    ],
)
def test_header_variants(header: str, time: str) -> None:
    (message,) = parse(f"{header}Budi: halo pak\n")[1]
    assert (message.sender, message.time, message.text) == ("Budi", time, "halo pak")


def test_crlf_and_bom() -> None:
    text = "\ufeff" + ANDROID_ID.replace("\n", "\r\n")
    layout, messages = parse(text)
    assert layout == "android"
    assert messages[0].kind == "system"
    assert messages[4].text.endswith("email eli.sari@gmail.com ")
    assert all("\r" not in m.text for m in messages)


def test_stream_with_universal_newlines() -> None:
    stream = io.TextIOWrapper(io.BytesIO(ANDROID_ID.replace("\n", "\r\n").encode()), "utf-8")
    result = parse_chat(read_lines(stream))
    assert [m.line for m in result if m.kind == "text"] == [4, 5, 10]


def test_sender_name_with_colon_takes_the_first_separator() -> None:
    (message,) = parse("02/12/26 09.15 - Pak Budi: BKPP: token tdk masuk\n")[1]
    assert message.sender == "Pak Budi"
    assert message.text == "BKPP: token tdk masuk"


def test_system_line_quoting_a_colon_is_not_a_message() -> None:
    line = '02/12/26 09.15 - Sari changed the subject from "FAQ" to "Tanya: MySAPK"\n'
    (message,) = parse(line)[1]
    assert (message.kind, message.sender) == ("system", None)


def test_unknown_layout_is_one_message() -> None:
    text = "\n\nhalo pak\nnip 19860926 201505 1 001\n02/12/26 bukan header\n"
    result = parse_chat_text(text)
    (message,) = list(result)
    assert result.layout is None
    assert message.sender is None and message.time is None
    assert message.kind == "text"
    assert message.line == 3
    assert message.text == "halo pak\nnip 19860926 201505 1 001\n02/12/26 bukan header"
    assert result.date_order is None


def test_text_before_the_first_header_is_kept_without_sender() -> None:
    text = "potongan pesan\n02/12/26 09.15 - Budi: halo\n"
    layout, messages = parse(text)
    assert layout == "android"
    assert [(m.sender, m.text) for m in messages] == [(None, "potongan pesan"), ("Budi", "halo")]


def test_layout_detection_gives_up_after_a_bounded_prefix() -> None:
    text = "baris\n" * 25 + "02/12/26 09.15 - Budi: halo\n"
    assert parse_chat_text(text).layout is None


def test_trailing_blank_lines_dropped_but_trailing_spaces_kept() -> None:
    (message,) = parse("02/12/26 09.15 - Budi: eli@gmail.com  \n\n\n")[1]
    assert message.text == "eli@gmail.com  "


@pytest.mark.parametrize(
    "line",
    [
        "02/12/26 09.15 - Budi: eli@gmail.com   <Pesan ini diedit>\n",
        f"[2/12/26, 9:15:32 AM] Budi: eli@gmail.com  {LRM} <This message was edited>\n",
        f"[2/12/26, 9:15:32 AM] Budi: eli@gmail.com   {LRM}<This message was edited>\n",
    ],
)
def test_edit_marker_leaves_the_senders_trailing_spaces(line: str) -> None:
    (message,) = parse(line)[1]
    assert message.edited
    assert message.text == "eli@gmail.com  "


@pytest.mark.parametrize(
    "text",
    ["<Media tidak disertakan>", "<Media omitted>", "image omitted", "gambar tidak disertakan",
     "stiker tidak disertakan", f"{LRM}<attached: 00000012-PHOTO.jpg>", "null",
     "<Pesan sekali lihat tidak disertakan>", "SK_CPNS.pdf (file attached)"],
)  # fmt: skip
def test_media_placeholders(text: str) -> None:
    (message,) = parse(f"02/12/26 09.15 - Budi: {text}\n")[1]
    assert message.kind == "media"


@pytest.mark.parametrize(
    "text",
    ["Pesan ini telah dihapus", "Pesan ini dihapus", "This message was deleted.",
     "Anda menghapus pesan ini", "You deleted this message", "Pesan ini dihapus oleh admin"],
)  # fmt: skip
def test_deleted_messages(text: str) -> None:
    (message,) = parse(f"02/12/26 09.15 - Budi: {text}\n")[1]
    assert message.kind == "deleted"


def test_media_word_inside_a_sentence_is_text() -> None:
    (message,) = parse("02/12/26 09.15 - Budi: image omitted pak? sy kirim ulang\n")[1]
    assert message.kind == "text"


def test_day_over_twelve_decides_date_order() -> None:
    text = "12/2/26, 9:15 AM - Budi: a\n13/2/26, 9:15 AM - Budi: b\n"
    result = parse_chat_text(text)
    list(result)
    assert result.date_order == "dmy"
    text = "2/13/26, 09.15 - Budi: a\n"
    result = parse_chat_text(text)
    list(result)
    assert result.date_order == "mdy"


def test_message_text_is_capped() -> None:
    text = "02/12/26 09.15 - Budi: " + "x" * 100 + "\n" + ("y" * 999 + "\n") * 40
    (message,) = parse(text)[1]
    assert len(message.text) == MAX_MESSAGE_CHARS
    assert message.truncated


def test_read_lines_cuts_overlong_lines() -> None:
    stream = io.StringIO("a" * 25 + "\nshort\n" + "b" * 7)
    assert list(read_lines(stream, limit=10)) == ["a" * 10, "short\n", "b" * 7]
