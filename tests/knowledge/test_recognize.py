"""Recognition of what a message is about: portal messages, chat and regional forms,
other matters, and the rules file itself."""

from __future__ import annotations

import functools
import time
import tomllib
from pathlib import Path

import pytest

from sapkcheck.knowledge.faq import load_faq
from sapkcheck.knowledge.recognize import _data, normalize, recognize

BENCHMARKS = Path(__file__).parents[2] / "benchmarks"


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Token TDK masuk2 🙏", "token tidak masuk"),
        ("pw ora iso mlebu", "password tidak bisa masuk"),
        ("email eli.sari@gmail.com  ", "email email"),
        ("NIP jadi 1,98609E+17 di excel", "nip jadi excelnumber di excel"),
        ("e-mail\u200b belum\u00a0masuk", "email belum masuk"),
    ],
)
def test_normalize(text: str, normalized: str) -> None:
    assert normalize(text) == normalized


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # A portal message found whole, the longest winning.
        ("Operasi Gagal", "operasi-gagal"),
        ("Ooops, Operasi Gagal, Data not found in AUTH BKN", "data-not-found-auth"),
        ("Operasi gagal, data email yang dimasukkan tidak sesuai", "email-tidak-sesuai"),
        ("min muncul OPERASI GAGAL terus 🙏🙏", "operasi-gagal"),
        ("Opersi Gagal", "operasi-gagal"),  # a slip of the finger
        # Chat and regional forms.
        ("token blm masuk2 ke email min udh 2 jam", "token-tidak-diterima"),
        ("token teu acan asup ka email pak", "token-tidak-diterima"),
        ("token ora mlebu-mlebu pak", "token-tidak-diterima"),
        ("tombol reset password mboten saged dipencet", "reset-tidak-merespon"),
        ("pw baru sy ditolak trs, hrs ada angka?", "syarat-password"),
        ("email lama sy sdh gk aktif pak", "email-tidak-bisa-dibuka"),
        ("nip sy cuma 9 digit", "nip-lama"),
        ("di excel nip jadi 1.98609E+17", "nip-excel"),
        ("kapan jadwal pemutakhiran data?", "jadwal-pemutakhiran"),
        ("cara aktivasi mysapk gmn ya pak", "aktivasi-akun"),
        # ASN Digital (issue 12): the messages a new user tried, and chat forms.
        ("Invalid Authenticator Code", "mfa-kode-salah"),
        ("kode MFA salah", "mfa-kode-salah"),
        ("kode ning google authenticator ora iso, jare salah terus", "mfa-kode-salah"),
        ("QR code tidak muncul", "mfa-qr-tidak-muncul"),
        ("captcha salah terus", "captcha-salah"),
        ("Captcha tidak sesuai", "captcha-salah"),  # not the email entry
        ("Akun Anda terkunci", "akun-terkunci"),
        ("akun abdi kakonci, teu tiasa login", "akun-terkunci"),
        ("token sudah kadaluarsa", "kode-kedaluwarsa"),
        ("OTP tidak masuk ke HP", "mfa-aktivasi"),  # login codes come from the app
        ("Aktifkan MFA (OTP) itu diapain pak", "mfa-aktivasi"),
        ("hp sy ganti, google authenticator nya hilang", "mfa-reset"),
        ("Reset Password Lemah", "password-lemah"),
        ("skrg login lewat mana pak, mysapk atau asn digital?", "portal-mana"),
        ("NI PPPK sy blm terbit", "nip-belum-terbit"),
        ("tgl lahir di NIP sy beda sm akta", "nip-salah-di-data"),
        ("email kemenag sy lupa password nya, kode reset masuk ke situ", "email-instansi"),
        ("sy admin opd, cara ganti email pegawai di siasn gmn?", "admin-ubah-email"),
        ("ada yg minta kode otp sy lewat wa, ngaku dr bkn", "keamanan-akun"),
        # a NIK or KTP number given as identity is not a question about the NIK
        ("pak token tdk masuk, NIK saya 5204012609860001", "token-tidak-diterima"),
        ("token tdk masuk. NIK: 5204012609860001", "token-tidak-diterima"),
        ("token blm masuk pak, ktp 5204012609860001", "token-tidak-diterima"),
    ],
)
def test_recognized(text: str, entry: str) -> None:
    assert recognize(text).entry == entry


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("pak tpp bulan ini kapan cair?", "other"),
        ("cuti tahunan sy tinggal brp hari?", "other"),
        ("pak mau tanya NIK di ktp saya salah", "other"),
        ("cara ganti nik di simpeg", "other"),
        ("tiap login asn digital balik lagi ke halaman login terus", "elsewhere"),
        ("pak reset ulang password akun dapodik sy, terkunci", "other"),
        ("kode OTP bank sy ga masuk2 ke hp, mau ambil gaji", "other"),
        ("laptop kantor lupa password windows nya pak, ga bs masuk", "other"),
        ("Assalamualaikum pak, selamat pagi 🙏", None),
        ("ok siap, terima kasih", None),
    ],
)
def test_not_recognized(text: str, topic: str | None) -> None:
    found = recognize(text)
    assert found.entry is None
    assert found.topic == topic


def test_nearest_entries_are_offered_when_nothing_is_recognized() -> None:
    found = recognize("token ku kenapa ya")
    assert found.entry is None
    assert found.nearest
    nearest = {entry for entry, _ in found.nearest}
    assert {"token-salah", "token-tidak-diterima"} <= nearest
    assert recognize("selamat pagi pak, mohon bantuan").nearest == ()  # filler is near nothing


def test_work_is_bounded() -> None:
    text = "token " * 200_000 + "a" * 1_000_000
    start = time.perf_counter()
    recognize(text)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    "line", ["*" * 500, "**a" * 700, "*@" * 1000, "x" * 1000 + "**" + "y" * 1000, "@" * 2000]
)
def test_lines_of_stars_and_at_signs_are_read_in_linear_time(line: str) -> None:
    """A hang guard, not a benchmark: the old masked-address pattern took 40 s over 500
    stars (its time grew with the fourth power of the run)."""
    start = time.perf_counter()
    recognize("operasi gagal " + line)
    assert time.perf_counter() - start < 5.0


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("eli*****@gmail.com", True),
        ("kode dikirim ke bu**@yahoo.co.id ya", True),
        ("e***@x", True),
        ("**\uff20gmail.com", True),
        ("eli*@gmail.com", False),  # one star: a typo, not the portal's hint
        ("eli**@", False),  # nothing after the at sign
        ("eli@gmail.com**", False),
        ("pass**word", False),
    ],
)
def test_the_portals_masked_address_reads_as_one_word(text: str, masked: bool) -> None:
    assert ("maskedemail" in normalize(text).split()) is masked


def test_rules_name_real_entries_and_concepts() -> None:
    data = _data()
    ids = {entry.id for entry in load_faq()}
    assert {entry.id for entry in data.entries} == ids  # every entry can be recognized
    for entry in data.entries:
        assert entry.rules or entry.messages, entry.id
        for rule in entry.rules:
            assert set(rule) <= set(data.concepts), (entry.id, rule)


def _floors(name: str) -> tuple[float, float]:
    with (BENCHMARKS / name).open("rb") as handle:
        cases = [(case["faq"], case["text"]) for case in tomllib.load(handle)["cases"]]
    labelled = [(faq, text) for faq, text in cases if faq != "none"]
    others = [text for faq, text in cases if faq == "none"]
    recall = sum(recognize(text).entry == faq for faq, text in labelled) / len(labelled)
    rejected = sum(recognize(text).entry is None for text in others) / len(others)
    return recall, rejected


@pytest.mark.parametrize(
    "name", ["triage_eval.toml", "triage_holdout.toml", "triage_blind.toml", "triage_final.toml"]
)
def test_evaluation_floors(name: str) -> None:
    """The issue's floors: top-1 recall >= 95 % on messages with an entry, >= 98 % of the
    others matched to nothing (benchmarks/triage_eval.py prints the details)."""
    if not (BENCHMARKS / name).exists():
        pytest.fail(f"{name} is missing")
    recall, rejected = _floors(name)
    assert recall >= 0.95
    assert rejected >= 0.98


GOOD = {
    "words": {"gk": "tidak"},
    "concepts": {"token": {"pattern": r"\btoken\b"}, "lost": {"pattern": "hilang", "weight": 2}},
    "entries": {"token-tidak-diterima": {"messages": ["Token hilang"], "rules": [["token"]]}},
    "topics": {"elsewhere": [], "other": ["lost"], "trust_weight": 5},
    "filler": {"words": ["pak"]},
}


@pytest.mark.parametrize(
    "broken",
    [
        {"words": {"gk": 1}},
        {"concepts": {"token": {"weight": 1}}},
        {"concepts": {"token": {"pattern": "token", "weight": "2"}}},
        {"concepts": []},
        {"entries": {"token-tidak-diterima": []}},
        {"entries": {"token-tidak-diterima": {"messages": [1]}}},
        {"entries": {"token-tidak-diterima": {"rules": "token"}}},
        {"entries": {"token-tidak-diterima": {"rules": [["no-such-concept"]]}}},
        {"topics": {"other": ["no-such-concept"]}},
        {"topics": {"trust_weight": "high"}},
        {"filler": {"words": "pak"}},
    ],
)
def test_malformed_rules_file_is_a_packaging_error(
    monkeypatch: pytest.MonkeyPatch, broken: dict[str, object]
) -> None:
    from sapkcheck.knowledge import recognize as module

    monkeypatch.setattr(module, "read_toml", lambda *_: {**GOOD, **broken})
    module._data.cache_clear()
    module.recognize.cache_clear()
    try:
        with pytest.raises(module.RecognizeDataError):
            module._data()
    finally:
        module._data.cache_clear()
        module.recognize.cache_clear()
    module.recognize.cache_clear()


def test_a_well_formed_rules_file_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    from sapkcheck.knowledge import recognize as module

    monkeypatch.setattr(module, "read_toml", lambda *_: GOOD)
    module._data.cache_clear()
    module.recognize.cache_clear()
    try:
        assert module.recognize("pak, Token hilang!").how == "message"  # found whole
        assert module.recognize("token gk").how == "rule"
        vetoed = module.recognize("pak token gk, hilang")  # another matter, weight 1 < 5
        assert (vetoed.entry, vetoed.topic) == (None, "other")
    finally:
        module._data.cache_clear()
        module.recognize.cache_clear()
    module.recognize.cache_clear()


EVAL_SETS = ("triage_eval.toml", "triage_holdout.toml", "triage_blind.toml", "triage_final.toml")


@functools.cache
def _per_entry() -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for name in EVAL_SETS:
        with (BENCHMARKS / name).open("rb") as handle:
            for case in tomllib.load(handle)["cases"]:
                if case["faq"] == "none":
                    continue
                found = counts.setdefault(case["faq"], [0, 0])
                found[0] += recognize(case["text"]).entry == case["faq"]
                found[1] += 1
    return {faq: (hit, total) for faq, (hit, total) in counts.items()}


@pytest.mark.parametrize("entry", sorted(entry.id for entry in load_faq()))
def test_every_entry_recognized_in_its_chat_messages(entry: str) -> None:
    """Each entry, the 14 of issue 12 included, has at least 12 chat-style messages in the
    evaluation sets (typos, chat spellings, mixed languages) and is recognized first in at
    least 90 % of them (measured at i12c: the lowest is keamanan-akun, 13 of 14)."""
    hit, total = _per_entry()[entry]
    assert total >= 12
    assert hit / total >= 0.9, (entry, hit, total)
