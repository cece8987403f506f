"""``sapkcheck triage`` end to end: chat exports of every layout the tests write, the JSON
contract, masking, bad input and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sapkcheck.triage.run import triage_text
from tests.helpers import Run, run_cli

NIP = "19860926 201505 1 001"
QUESTION = (
    f"sy mau reset pw mysapk kok muncul operasi gagal trs ya 🙏\nnip {NIP}\n"
    "email eli.sari@gmail.com "
)

# One export per layout: (file text, expected questions as (sender, time)).
LAYOUTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "android-id": (
        "02/12/26 09.15 - Pesan dan panggilan dienkripsi secara end-to-end.\n"
        f"02/12/26 09.16 - Eli Sari: {QUESTION}\n"
        "02/12/26 09.20 - Admin: sebentar bu\n"
        "02/12/26 09.21 - +62 812-3456-7890: token blm masuk2 ke email min\n"
        "02/12/26 09.22 - +62 812-3456-7890: <Media tidak disertakan>\n",
        [("Eli Sari", "02/12/26 09.16"), ("+62 812-3456-7890", "02/12/26 09.21")],
    ),
    "android-en": (
        "12/2/26, 9:15 AM - Messages and calls are end-to-end encrypted.\n"
        f"12/2/26, 9:16 AM - Eli Sari: {QUESTION}\n"
        "12/2/26, 9:20 AM - Admin: one moment\n"
        "12/2/26, 9:21 AM - Budi: token not received, waited an hour\n"
        "12/2/26, 9:22 AM - Budi: This message was deleted\n",
        [("Eli Sari", "12/2/26, 9:16 AM"), ("Budi", "12/2/26, 9:21 AM")],
    ),
    "ios-id": (
        "[02/12/26 09.15.32] Grup Kepegawaian: \u200ePesan dan panggilan dienkripsi.\n"
        f"[02/12/26 09.16.01] Eli Sari: {QUESTION}\n"
        "[02/12/26 09.20.00] Admin: sebentar bu\n"
        "[02/12/26 09.21.10] Budi: token blm masuk2 ke email min\n"
        "\u200e[02/12/26 09.22.00] Budi: \u200egambar tidak disertakan\n",
        [("Eli Sari", "02/12/26 09.16.01"), ("Budi", "02/12/26 09.21.10")],
    ),
    "ios-en": (
        f"[2/12/26, 9:16:01\u202fAM] Eli Sari: {QUESTION}\n"
        "[2/12/26, 9:20:00\u202fAM] Admin: one moment\n"
        "[2/12/26, 9:21:10\u202fAM] Budi: token not received, waited an hour\n",
        [("Eli Sari", "2/12/26, 9:16:01\u202fAM"), ("Budi", "2/12/26, 9:21:10\u202fAM")],
    ),
}


def triage(tmp_path: Path, content: str | bytes, *args: str, crlf: bool = False) -> Run:
    chat = tmp_path / "chat.txt"
    if isinstance(content, str):
        content = content.replace("\n", "\r\n") if crlf else content
        content = content.encode("utf-8")
    chat.write_bytes(content)
    return run_cli("triage", "--chat", str(chat), "--admin", "Admin", *args)


@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_layout_gives_each_question(tmp_path: Path, layout: str, crlf: bool) -> None:
    content, expected = LAYOUTS[layout]
    run = triage(tmp_path, content, "--format", "json", crlf=crlf)
    assert run.exit_code == 1  # the first question's email has a trailing space
    document = run.json()
    assert document["layout"] == layout.split("-")[0]
    questions = document["questions"]
    assert [(q["sender"], q["time"]) for q in questions] == expected
    first = questions[0]
    assert first["found"]["nip"] == [NIP]
    assert first["found"]["email"] == ["eli.sari@gmail.com "]  # the trailing space stays
    assert first["found"]["message"] == "Operasi Gagal"
    codes = {f["code"] for f in first["report"]["findings"]}
    assert {"email-trailing-space", "message-recognized", "message-values"} <= codes
    assert first["report"]["remedies"][0]["faq"] == "operasi-gagal"
    assert questions[1]["report"]["message"]["faq"] == "token-tidak-diterima"


def _check_contract(document: dict[str, Any]) -> None:
    """The JSON contract as README documents it (section "sapkcheck triage")."""
    assert set(document) == {"schema_version", "layout", "questions"}
    assert document["schema_version"] == 1
    assert document["layout"] in ("android", "ios", None)
    for question in document["questions"]:
        assert set(question) == {"sender", "time", "text", "found", "report", "reply"}
        assert question["sender"] is None or isinstance(question["sender"], str)
        assert question["time"] is None or isinstance(question["time"], str)
        assert isinstance(question["text"], str) and isinstance(question["reply"], str)
        found = question["found"]
        assert set(found) == {"nip", "email", "token", "message"}
        for kind in ("nip", "email", "token"):
            assert all(isinstance(value, str) for value in found[kind])
        assert found["message"] is None or isinstance(found["message"], str)
        report = question["report"]
        assert report["schema_version"] == 1 and report["status"] in ("ok", "fail")
        assert {"findings", "remedies", "message"} <= set(report)


def test_json_contract_and_readme(tmp_path: Path) -> None:
    run = triage(tmp_path, LAYOUTS["android-id"][0], "--format", "json")
    _check_contract(run.json())
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `sapkcheck triage")[1].split("\n### ")[0]
    for key in ('"questions"', '"sender"', '"found"', '"report"', '"reply"', '"layout"'):
        assert key in section


def test_pasted_message_with_values(tmp_path: Path) -> None:
    message = (
        "Assalamualaikum pak, sy mau aktivasi mysapk tp muncul operasi gagal, "
        f"nip {NIP} email eli.sari@gmail.com "
    )
    run = run_cli("triage", message, "--format", "reply")
    assert run.exit_code == 1
    assert "eli.sari@gmail.com" in run.stdout  # the email as it must be typed
    assert len(run.stdout.strip().splitlines()) <= 10
    run = run_cli("triage", "-", "--format", "json", input=message)
    question = run.json()["questions"][0]
    assert question["sender"] is None
    assert question["found"]["email"] == ["eli.sari@gmail.com "]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_nothing_found_offers_the_nearest_and_asks(lang: str) -> None:
    run = run_cli("triage", "pak token sy kenapa ya", "--format", "json", "--lang", lang)
    assert run.exit_code == 0
    question = run.json()["questions"][0]
    assert question["report"]["message"]["faq"] is None
    maybe = question["report"]["message"]["maybe"]
    assert "token-salah" in maybe[:2]
    assert set(maybe) <= {"token-salah", "token-tidak-diterima", "kode-kedaluwarsa"}
    assert "NIP" in question["reply"]


def test_mask_hides_senders_phones_and_values(tmp_path: Path) -> None:
    content = LAYOUTS["android-id"][0] + "02/12/26 09.30 - Citra: hp sy 0812 3456 7890 pak\n"
    for fmt in ("json", "text", "reply"):
        run = triage(tmp_path, content, "--format", fmt, "--mask")
        out = run.stdout
        for personal in ("Eli Sari", "3456", "eli.sari", "Citra", "201505", "19860926"):
            assert personal not in out, (fmt, personal)


def test_mask_renames_the_longest_sender_name_first(tmp_path: Path) -> None:
    content = (
        "02/12/26 09.00 - Budi: token tdk masuk pak\n"
        "02/12/26 09.10 - Budi Santoso: akun terkunci\n"
        "02/12/26 09.20 - Siti: sama spt pak budi santoso dan Budi, token tdk masuk\n"
    )
    run = triage(tmp_path, content, "--format", "json", "--mask")
    texts = [question["text"] for question in run.json()["questions"]]
    assert "santoso" not in run.stdout.casefold()
    assert "budi" not in texts[2].casefold()
    assert texts[2].count("Pengirim") == 2


def test_mask_renames_a_sender_named_before_they_write_and_only_whole_names(
    tmp_path: Path,
) -> None:
    content = (
        "02/12/26 09.00 - Rani: pak Ani jg tdk bisa login, token tdk masuk\n"
        "02/12/26 09.10 - Ani: iya pak sama\n"
    )
    run = triage(tmp_path, content, "--format", "json", "--mask")
    first = run.json()["questions"][0]
    assert "Ani" not in first["text"]
    assert first["sender"] != "Pengirim 2"  # Rani is not "R" + Ani's alias
    assert "RPengirim" not in run.stdout


@pytest.mark.parametrize(
    ("said", "stated"),
    [
        ("my password is locked, I cannot login", "locked"),
        ("password saya adalah tanggal lahir, tdk bisa login", "tanggal"),
        ("password: sesuai petunjuk tapi akun terkunci", "sesuai"),
    ],
)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_word_stated_as_the_password_is_hidden_in_the_chat_only(
    said: str, stated: str, lang: str
) -> None:
    """ "password is locked": maybe a password, maybe a word. The chat's text hides it; the
    reply, which may use the same word, is as the catalog has it."""
    plain = run_cli("triage", said, "--format", "reply", "--lang", lang)
    masked = run_cli("triage", said, "--format", "reply", "--lang", lang, "--mask")
    assert masked.stdout == plain.stdout
    document = run_cli("triage", said, "--format", "json", "--lang", lang, "--mask").json()
    assert stated not in document["questions"][0]["text"]


@pytest.mark.parametrize(
    "said",
    [
        "sudah reset password di asndigital.bkn.go.id tapi belum bisa aktivasi",
        "sandi ke https://asndigital.bkn.go.id sudah, akun terkunci",
        'sudah klik reset password "Lupa Password" tapi token tdk masuk',
    ],
)
def test_mask_keeps_the_portal_s_address_in_the_reply(said: str) -> None:
    """A word after "password" in the chat is hidden in the chat only: the reply's link
    (https://asndigital.bkn.go.id) became "https://***"."""
    plain = run_cli("triage", said, "--format", "reply")
    masked = run_cli("triage", said, "--format", "reply", "--mask")
    assert masked.stdout == plain.stdout


@pytest.mark.parametrize(("sender", "said"), [("Bu", "cara aktivasi akun gmn"), ("Ani", "Anita")])
def test_mask_renames_the_asker_only_as_a_whole_name(
    tmp_path: Path, sender: str, said: str
) -> None:
    """The asker's name was masked as a substring: "Bu" asking gave "Bu*****ka" in the reply,
    "Ani" writing "Anita" gave "An*****ta"."""
    content = f"02/12/26 09.00 - {sender}: {said}\n"
    plain = triage(tmp_path, content, "--format", "json")
    masked = triage(tmp_path, content, "--format", "json", "--mask")
    question = masked.json()["questions"][0]
    assert question["reply"] == plain.json()["questions"][0]["reply"]
    assert "*" not in question["text"]


def test_mask_leaves_words_and_hosts_that_only_look_like_a_sender(tmp_path: Path) -> None:
    """A one-word name needs its capital ("kantor indah sekali" is not Indah); a sender
    "BKN" is not renamed inside asndigital.bkn.go.id."""
    content = (
        "02/12/26 09.00 - Indah: token tdk masuk\n"
        "02/12/26 09.05 - BKN: silakan cek asndigital.bkn.go.id\n"
        "02/12/26 09.10 - Siti: kantor indah sekali, sudah buka asndigital.bkn.go.id, BKN\n"
    )
    run = triage(tmp_path, content, "--format", "json", "--mask")
    text = run.json()["questions"][-1]["text"]
    assert "kantor indah sekali" in text and "asndigital.bkn.go.id" in text
    assert not text.endswith("BKN")


@pytest.mark.parametrize(
    ("said", "password"),
    [
        ("Pak, password saya Sumbawa@2024 tidak bisa login", "Sumbawa@2024"),
        ("password saya Budi19900101 salah", "Budi19900101"),
        ("password baru: Ab3dEf", "Ab3dEf"),
    ],
)
def test_mask_hides_a_password_that_looks_like_another_value_whole(
    said: str, password: str
) -> None:
    """Masked as an address, a digit run or a token first, part of it stayed: Su*****@2024."""
    run = run_cli("triage", said, "--mask", "--format", "json")
    assert run.json()["questions"][0]["text"] == said.replace(password, "***")
    for fmt in ("text", "reply"):
        run = run_cli("triage", said, "--mask", "--format", fmt)
        assert password[-4:] not in run.stdout, (fmt, run.stdout)


def test_mask_renames_a_sender_called_by_title_and_first_name(tmp_path: Path) -> None:
    content = (
        "02/12/26 09.00 - Budi Santoso: token tdk masuk\n"
        "02/12/26 09.10 - Siti: Pak Budi, mohon dicek juga punya saya, akun terkunci\n"
    )
    run = triage(tmp_path, content, "--format", "json", "--mask")
    assert "Budi" not in run.json()["questions"][1]["text"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_mask_says_when_a_piped_chat_cannot_be_read_ahead(tmp_path: Path) -> None:
    import threading

    from sapkcheck.knowledge.i18n import catalog

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    content = "02/12/26 09.00 - Siti: sama spt Budi Santoso, token tdk masuk\n"
    feeder = threading.Thread(target=fifo.write_text, args=(content,))
    feeder.start()
    try:
        run = run_cli("triage", "--chat", str(fifo), "--mask", "--format", "reply")
    finally:
        feeder.join(timeout=10)
    assert run.exit_code == 0
    assert catalog("id").ui("triage-mask-pipe") in run.stderr
    assert catalog("id").ui("triage-mask-pipe") not in triage(tmp_path, content, "--mask").stderr


def test_mask_keeps_an_admin_office_s_name_in_the_reply(tmp_path: Path) -> None:
    office = "BKPP Kabupaten Sumbawa"
    content = (
        f"02/12/26 09.00 - {office}: selamat pagi, silakan sampaikan kendala\n"
        "02/12/26 09.10 - Budi: akun saya terkunci\n"
    )
    plain = triage(tmp_path, content, "--format", "reply", "--admin", office)
    masked = triage(tmp_path, content, "--format", "reply", "--admin", office, "--mask")
    assert office in plain.stdout
    assert office in masked.stdout


def test_mask_renames_a_sender_called_by_a_shorter_form(tmp_path: Path) -> None:
    content = (
        "02/12/26 09.00 - Siti Aminah (Dinkes): token tdk masuk\n"
        "02/12/26 09.05 - Pak Joko: akun terkunci\n"
        "02/12/26 09.10 - Dr. Andi Wijaya, S.Pd: sama spt bu siti aminah, Joko,"
        " pak joko, ma\u2019ruf amin\n"
        "02/12/26 09.20 - Ma'ruf Amin: saya juga\n"
    )
    run = triage(tmp_path, content, "--format", "json", "--mask")
    text = run.json()["questions"][2]["text"].casefold()
    for name in ("siti", "joko", "ruf"):
        assert name not in text


def test_mask_leaves_the_profile_contact_in_the_reply() -> None:
    """A question quoting the region's helpdesk address: it is public, and the reply that
    names it stays usable."""
    from sapkcheck.knowledge.profile import load_profile

    contact = next(c.contact for c in load_profile().helpdesk if "@" in c.contact)
    said = f"sudah email ke {contact}, akun terkunci"
    plain = run_cli("triage", said, "--format", "reply")
    masked = run_cli("triage", said, "--format", "reply", "--mask")
    assert contact in plain.stdout
    assert contact in masked.stdout


@pytest.mark.parametrize(
    ("said", "personal"),
    [
        ("NIK saya 5204012609860001", "52040126"),
        ("wa (0812) 34567890", "34567890"),
        ("hp +62 812-3456-7890", "3456"),
        ("email budi.santoso(at)gmail.com", "santoso"),
        ("email budi.santoso [at] gmail [dot] com", "santoso"),
        ("pw sy Rahasia123!", "Rahasia123"),
        ("password: Qz7w!abcd", "Qz7w"),
        ("kata sandi baru Merdeka45", "Merdeka45"),
        ("passwordnya Rahasia123, hp08123456789", "Rahasia123"),
        ("hp08123456789", "23456789"),
        ("NIK3201012345670001", "32010123"),
        ("wa 0812 - 3456 - 7890", "3456"),
        ("wa 0812/3456/7890", "3456"),
        ("wa 0812 \u2013 3456 \u2013 7890", "3456"),
        ('password: "Rahasia 123"', "Rahasia"),
        ("email budi.santoso@@gmail.com", "santoso"),
        ("email budi.santoso @ gmail.com", "santoso"),
        ("email budi.santoso86 (at) gmail dot com", "santoso"),
        ("email budi.santoso(at)gmail", "santoso"),
        (
            "NIP saya \uff11\uff19\uff18\uff16\uff10\uff19\uff12\uff16\uff12\uff10\uff11\uff15"
            "\uff10\uff15\uff11\uff10\uff10\uff11",
            "\uff19\uff18\uff16",
        ),
        ("email budi..santoso@gmail.com", "santoso"),
        ("email Budi.Santoso@GMAIL.COM", "Santoso"),
        ("hp *081234567890* pak", "34567890"),
        ("password yang saya pakai Rahasia123", "Rahasia123"),
        ("pw \u2018Rahasia 1\u2019 tdk bisa", "Rahasia 1"),
        ("password: merdekaku", "merdekaku"),
        ("email budi.santoso at gmail dot com", "santoso"),
        ("email budi.santoso at gmail.com", "santoso"),
        ("pasword saya Rahasia123", "Rahasia123"),
        ("katasandi Rahasia123", "Rahasia123"),
        ("pw ny Rahasia123", "Rahasia123"),
        ("password yg sy masukin Rahasia123", "Rahasia123"),
        ("pw `Rahasia 123`", "Rahasia 123"),
        ("hp +62 857\u20119999\u20118888", "9999"),
        ("nip 19850315,201001,1,002", "201001"),
    ],
)
def test_mask_hides_what_a_chat_says_in_passing(said: str, personal: str) -> None:
    """Not values the checks found: a NIK, phone numbers in any grouping, an address
    spelled with (at), a password quoted after the word for it."""
    for fmt in ("json", "text", "reply"):
        run = run_cli("triage", f"token tdk masuk pak, {said}", "--mask", "--format", fmt)
        assert run.exit_code in (0, 1)
        assert personal not in run.stdout, (fmt, run.stdout)


@pytest.mark.parametrize(
    "said", ["password salah terus", "pw sy lupa", "reset password di ASN Digital", "jam 09.15"]
)
def test_mask_keeps_the_words_around_a_password(said: str) -> None:
    run = run_cli("triage", said, "--mask", "--format", "json")
    assert run.json()["questions"][0]["text"] == said


@pytest.mark.parametrize(
    "said",
    [
        "password tidak bisa diganti",
        "Kata sandi tidak memenuhi ketentuan",
        "token tdk masuk",
        "data tidak ditemukan",
        "akun terkunci",
        "tidak bisa login sso",
    ],
)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_mask_leaves_a_reply_without_personal_data_as_it_is(said: str, lang: str) -> None:
    """The catalog's own brackets, numbers and example values are not a chat's NIK or
    password: with nothing personal in the question, --mask changes nothing in the reply."""
    plain = run_cli("triage", said, "--format", "reply", "--lang", lang)
    masked = run_cli("triage", said, "--format", "reply", "--lang", lang, "--mask")
    assert masked.stdout == plain.stdout


def test_mask_hides_a_chat_number_where_a_finding_quotes_it() -> None:
    said = "NIK 5204012609860001 pak, tidak bisa reset"
    run = run_cli("triage", said, "--mask", "--format", "json")
    assert "52040126" not in run.stdout


@pytest.mark.parametrize(
    ("said", "hidden"),
    [
        ('password: "Qz7w!abcd"', "Qz7w"),
        ("sandi (Merdeka45)", "Merdeka45"),
        ("email budi(at)gmail.co.id", "budi(at)"),
    ],
)
def test_mask_finds_personal_pieces_inside_quotes_and_brackets(said: str, hidden: str) -> None:
    from sapkcheck.batch.masking import free_text_personal, stated_passwords

    pieces = [*free_text_personal(said), *stated_passwords(said)]
    assert any(hidden in piece for piece in pieces), pieces


@pytest.mark.parametrize(
    "said",
    [
        "password (minimal 8 karakter)",
        "pw sy lupa",
        "salam (at) all, mohon bantuannya",
        "jam 09.15, Rp 150.000",
        "budi(at)rumah",
        "buka jam 08.00 - 12.00 dan 13.00\u201316.00",
        "password MySAPK saya lupa",
        "password saya sudah diganti tapi gagal",
        "sandi: kadaluarsa",
        "login at asn.bkn.go.id",
        "token never arrives at gmail",
        "muncul 'Username atau password salah'.",
    ],
)
def test_free_text_personal_leaves_ordinary_words(said: str) -> None:
    from sapkcheck.batch.masking import free_text_personal, stated_passwords

    assert free_text_personal(said) == {}
    assert not stated_passwords(said)


def test_a_reply_names_a_likely_domain_typo_and_asks_only_for_what_is_missing() -> None:
    from sapkcheck.knowledge.i18n import catalog

    text = catalog("en")
    said = "email budi@gmial.com nip 198609262015051001 kok gak bisa reset ya"
    reply = run_cli("triage", said, "--format", "reply", "--lang", "en").stdout
    assert text.code("email-domain-typo").title in reply
    assert "budi@gmail.com" in reply
    said = said.replace("gmial", "gmail")
    reply = run_cli("triage", said, "--format", "reply", "--lang", "en").stdout
    assert text.ui("reply-ask-message") in reply
    assert text.ui("reply-ask") not in reply
    reply = run_cli("triage", "kok gak bisa reset ya", "--format", "reply", "--lang", "en").stdout
    assert text.ui("reply-ask") in reply


def test_a_recognised_cause_comes_before_a_value_warning() -> None:
    """The screen's message names the cause; a likely domain typo is still named, after
    the steps, and nothing goes past the reply's length."""
    from sapkcheck.knowledge.faq import get_entry
    from sapkcheck.knowledge.i18n import catalog
    from sapkcheck.render.reply import MAX_LINES

    text = catalog("en")
    said = "email budi@gmial.com nip 198609262015051001 token tidak masuk ke email"
    reply = run_cli("triage", said, "--format", "reply", "--lang", "en").stdout.splitlines()
    cause = text.ui("reply-cause", title=get_entry("token-tidak-diterima").text("en").title)
    assert reply[0] == cause
    typo = reply.index(f"*{text.code('email-domain-typo').title}*")
    assert typo > reply.index(text.ui("reply-steps"))
    assert "budi@gmail.com" in reply[typo + 1]
    assert len(reply) <= MAX_LINES


@pytest.mark.parametrize("given", [("-",), ("",), ("  \n\t",)])
def test_an_empty_message_is_unusable_input(given: tuple[str, ...]) -> None:
    for fmt in ("text", "reply", "json"):
        run = run_cli("triage", *given, "--format", fmt, "--lang", "en", input=b"\n")
        assert run.exit_code == 2
        assert run.stdout == ""
        assert "empty" in run.stderr


def test_an_output_folder_is_refused_before_any_work(tmp_path: Path) -> None:
    run = run_cli("triage", "operasi gagal", "--output", str(tmp_path), "--lang", "en")
    assert run.exit_code == 2
    assert "folder" in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_layout_is_one_message(tmp_path: Path) -> None:
    run = triage(tmp_path, "halo pak\ntoken sy blm masuk ke email\n", "--format", "json")
    document = run.json()
    assert document["layout"] is None
    assert len(document["questions"]) == 1
    run = triage(tmp_path, "halo pak\ntoken sy blm masuk ke email\n")
    assert "WhatsApp" in run.stdout.splitlines()[0]


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"\x00\x01binary\x00data", "not a text file"),
        (b"02/12/26 09.15 - Eli: caf\xe9\n", "UTF-8"),
        (b"02/12/26 09.15 - Eli: ok\n" * 10_000 + b"02/12/26 09.15 - Eli: caf\xe9\n", "UTF-8"),
    ],
)
def test_unreadable_exports_exit_2(tmp_path: Path, content: bytes, key: str) -> None:
    run = triage(tmp_path, content, "--lang", "en")
    assert run.exit_code == 2
    assert key in run.stderr
    assert "Traceback" not in run.stderr


def test_utf16_export(tmp_path: Path) -> None:
    content = LAYOUTS["android-id"][0].encode("utf-16")
    run = triage(tmp_path, content, "--format", "json")
    assert len(run.json()["questions"]) == 2


@pytest.mark.parametrize(
    "args",
    [[], ["pesan", "--chat", "x.txt"], ["--chat", "/nonexistent/chat.txt"]],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    run = run_cli("triage", *args)
    assert run.exit_code == 2
    assert run.stderr.startswith("sapkcheck:")


def test_output_file(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(LAYOUTS["android-id"][0], encoding="utf-8")
    out = tmp_path / "replies.txt"
    run = run_cli("triage", "--chat", str(chat), "--format", "reply", "--output", str(out))
    assert run.stdout == ""
    assert "Operasi Gagal" in out.read_text(encoding="utf-8")
    run = run_cli("triage", "--chat", str(chat), "--output", str(chat))
    assert run.exit_code == 2
    assert chat.read_text(encoding="utf-8") == LAYOUTS["android-id"][0]


def test_only_answers_means_no_question(tmp_path: Path) -> None:
    run = triage(tmp_path, "02/12/26 09.20 - Admin: sebentar bu\n", "--lang", "en")
    assert run.exit_code == 0
    assert "No question" in run.stdout


_LINE = st.one_of(
    st.text(max_size=80),
    st.builds(
        "{} - {}: {}".format,
        st.sampled_from(["02/12/26 09.15", "12/2/26, 9:15 AM", "1/1/2026 00.00"]),
        st.sampled_from(["Eli", "+62 812-3456-7890", "Admin", "~ Budi"]),
        st.text(max_size=120),
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=12))
def test_random_chats_never_crash(lines: list[str]) -> None:
    result = triage_text("\n".join(lines), admins=["Admin"])
    for diagnosed in result.questions:
        assert diagnosed.report.exit_code in (0, 1)


def test_large_export_streams(tmp_path: Path) -> None:
    block = LAYOUTS["android-id"][0]
    chat = tmp_path / "chat.txt"
    chat.write_text(block * 300, encoding="utf-8")
    run = run_cli("triage", "--chat", str(chat), "--format", "json", "--admin", "Admin")
    assert len(run.json()["questions"]) == 600
    assert json.loads(run.stdout)["layout"] == "android"


def test_a_folder_is_not_an_export(tmp_path: Path) -> None:
    run = run_cli("triage", "--chat", str(tmp_path), "--lang", "en")
    assert run.exit_code == 2
    assert "folder" in run.stderr or "directory" in run.stderr


def test_binary_data_after_the_first_block_exits_2(tmp_path: Path) -> None:
    content = LAYOUTS["android-id"][0].encode("utf-8") * 2000 + b"\x00\x00garbage\n"
    run = triage(tmp_path, content, "--lang", "en")
    assert run.exit_code == 2
    assert "not a text file" in run.stderr


def test_utf8_bom_export(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + LAYOUTS["ios-id"][0].encode("utf-8")
    run = triage(tmp_path, content, "--format", "json")
    assert run.json()["layout"] == "ios"
    assert run.json()["questions"][0]["sender"] == "Eli Sari"
