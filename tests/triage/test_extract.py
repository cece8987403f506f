"""Values found in realistic WhatsApp pastes, exactly as typed (debris included)."""

from __future__ import annotations

import pytest

from sapkcheck.checks.email.check import check_email
from sapkcheck.checks.nip import check_nip
from sapkcheck.checks.token import check_token
from sapkcheck.triage.extract import MAX_SCAN_CHARS, MAX_VALUES, extract

CLASSIC = (
    "Assalamualaikum pak, sy mau aktivasi mysapk tp muncul operasi gagal, "
    "nip 19860926 201505 1 001 email eli.sari@gmail.com "
)


def test_classic_operasi_gagal_keeps_the_trailing_space() -> None:
    found = extract(CLASSIC)
    assert found.nip == ["19860926 201505 1 001"]
    assert found.email == ["eli.sari@gmail.com "]
    assert found.token == []
    codes = [f.code for f in check_email(found.email[0]).findings]
    assert codes == ["email-trailing-space"]
    assert "operasi gagal" in found.remainder
    assert "19860926" not in found.remainder and "@" not in found.remainder


# (text, nips, emails) as people paste them.
NIP_AND_EMAIL = [
    ("NIP: 198609262015051001", ["198609262015051001"], []),
    ("nip.19860926.201505.1.001", ["19860926.201505.1.001"], []),
    ("NIP 19860926-201505-1-001 mohon bantuannya", ["19860926-201505-1-001"], []),
    (
        "nipnya 19860926 201505 1 001\nemailnya eli@gmail.com",
        ["19860926 201505 1 001"],
        ["eli@gmail.com"],
    ),
    ("NIP198609262015051001", ["198609262015051001"], []),
    (
        "nip \uff11\uff19\uff18\uff16\uff10\uff19\uff12\uff162015051001",
        ["\uff11\uff19\uff18\uff16\uff10\uff19\uff12\uff162015051001"],
        [],
    ),
    ("nip sy 19850223 202521 1 035", ["19850223 202521 1 035"], []),
    ("NI PPPK 19890225 2024 21 1 013", ["19890225 2024 21 1 013"], []),
    ("198609262015051001 tdk bs login", ["198609262015051001"], []),
    ("1.98609E+17 itu nip sy di excel", ["1.98609E+17"], []),
    ("di excel jadi 1,98501E+17 pak", ["1,98501E+17"], []),
    ("nip 198609262015051000 hasil copy excel", ["198609262015051000"], []),
    ("NIP lama sy 131110468", ["131110468"], []),
    ("nip sy cuma 9 digit pak, 131110468", ["131110468"], []),
    ("NIP lama sy 150 234 567 tp gk bisa dipake", ["150 234 567"], []),
    ("nip sy lupa, hp 081234567", [], []),
    ("sy pegawai lama 131110468", [], []),
    ("nip 19860926 20150 1 001 bener gk sih", ["19860926 20150 1 001"], []),
    ("1986092620150510011 kebanyakan?", ["1986092620150510011"], []),
    ("nip 19860926201505100l", ["19860926201505100l"], []),
    ("NIP: 19860926 201505 1 001 HP 0812-3456-7890", ["19860926 201505 1 001"], []),
    ("198609262015051001 081234567890", ["198609262015051001"], []),
    (
        "19860926 201505 1 001, 19900101 201503 2 002",
        ["19860926 201505 1 001", "19900101 201503 2 002"],
        [],
    ),
    ("nip 19860926 201505 1 001 dan nip 19860926 201505 1 001", ["19860926 201505 1 001"], []),
    # not NIPs: phones, NIK, dates, amounts, emails made of digits
    ("wa sy +62 812-3456-7890 atau 0812 3456 7890", [], []),
    ("NIK 3201234567890001", [], []),
    ("nik 1971010101010001", [], []),
    ("npwp 01.234.567.8-901.000", [], []),
    ("tgl 02-12-2026 jam 09.15 s/d 12.02.2026 12.02.2026", [], []),
    ("tpp bulan ini Rp 1.500.000 blm masuk", [], []),
    ("sy kirim ke 198609262015051001@kemenag.go.id", [], ["198609262015051001@kemenag.go.id"]),
    # emails and what belongs to them
    ("email: eli.sari@gmail.com", [], ["eli.sari@gmail.com"]),
    ("email eli.sari@gmail.com  \nsdh benar", [], ["eli.sari@gmail.com  "]),
    ("email eli.sari@gmail.com tp gagal", [], ["eli.sari@gmail.com"]),
    ("email eli.sari@gmail.com\u00a0", [], ["eli.sari@gmail.com\u00a0"]),
    ("email eli.sari@gmail.com\u200b tp gagal", [], ["eli.sari@gmail.com\u200b"]),
    ("emailnya *eli.sari@gmail.com*", [], ["*eli.sari@gmail.com*"]),
    ("_eli.sari@gmail.com_ ", [], ["_eli.sari@gmail.com_ "]),
    ("~eli.sari@gmail.com~", [], ["~eli.sari@gmail.com~"]),
    ("mailto:eli.sari@gmail.com", [], ["mailto:eli.sari@gmail.com"]),
    ("Eli Sari <eli.sari@gmail.com>", [], ["<eli.sari@gmail.com>"]),
    ('email "eli.sari@gmail.com" pak', [], ['"eli.sari@gmail.com"']),
    ("email \u201celi.sari@gmail.com\u201d", [], ["\u201celi.sari@gmail.com\u201d"]),
    ("(eli.sari@yahoo.co.id)", [], ["(eli.sari@yahoo.co.id)"]),
    ("email sy eli.sari@gmail.com.", [], ["eli.sari@gmail.com"]),
    ("eli.sari@gmail.com, nip 198609262015051001", ["198609262015051001"], ["eli.sari@gmail.com"]),
    ("email sy eli.sari @gmail.com", [], ["eli.sari @gmail.com"]),
    ("email sy eli.sari@ gmail.com", [], ["eli.sari@ gmail.com"]),
    ("email sy eli.sari@gmail. com", [], ["eli.sari@gmail. com"]),
    ("eli.sari\uff20gmail.com", [], ["eli.sari\uff20gmail.com"]),
    ("eli.sari@gmail\uff0ecom", [], ["eli.sari@gmail\uff0ecom"]),
    ("\u0435li.sari@gmail.com", [], ["\u0435li.sari@gmail.com"]),
    ("ELI.SARI@GMAIL.COM", [], ["ELI.SARI@GMAIL.COM"]),
    ("email eli.sari@gmail (lupa .com nya)", [], ["eli.sari@gmail"]),
    ("email eli.sari@gmial.com", [], ["eli.sari@gmial.com"]),
    ("guru: budi.santoso@guru.sd.belajar.id", [], ["budi.santoso@guru.sd.belajar.id"]),
    ("email\n eli.sari@gmail.com", [], [" eli.sari@gmail.com"]),
    ("a@b.co.id c@d.go.id", [], ["a@b.co.id", "c@d.go.id"]),
    # not emails
    ("password sy Sari@1986", [], []),
    ("sy @ kantor dulu pak", [], []),
    ("apa hrs pakai email kantor @sumbawakab.go.id?", [], []),
    ("pakai email @gmail.com atau @yahoo.co.id?", [], []),
    ("@\u2068Admin BKPP\u2069 tolong pak", [], []),
    ("tdk ada email dari no-reply@mysapk.bkn.go.id", [], []),
]


@pytest.mark.parametrize(("text", "nips", "emails"), NIP_AND_EMAIL)
def test_nips_and_emails(text: str, nips: list[str], emails: list[str]) -> None:
    found = extract(text)
    assert (found.nip, found.email) == (nips, emails)
    for value in found.nip + found.email:
        assert value in text


TOKENS = [
    ("token AFM4TK1 ditolak", ["AFM4TK1"]),
    ("tokennya: AFM4TK1", ["AFM4TK1"]),
    ("token nya x7K9p2Qa", ["x7K9p2Qa"]),
    ("AFM4TK1 itu tokennya pak", ["AFM4TK1"]),
    ("kode OTP 482913 salah terus", ["482913"]),
    ("kode 123 456 invalid authenticator code", ["123 456"]),
    ("sy masukkan 482913 katanya invalid", ["482913"]),
    ("kode verifikasi: 12345678", ["12345678"]),
    ("token sy Q7ZP2XK ", ["Q7ZP2XK "]),
    ("token sy Q7ZP2XK tdk bisa", ["Q7ZP2XK"]),
    ("token:\n AFM4TK1\u200b\nsalah", [" AFM4TK1\u200b"]),
    # not tokens
    ("sdh 1x24 jam token blm masuk2", []),
    ("tpp2025 blm cair, hp sy Windows10 eh android13", []),
    ("ke2nya gagal, masuk2 jg gagal", []),
    ("nip 19860926 201505 1 001", []),
    ("kode pos 84311", []),
    ("transfer Rp 150000 ke 081234567890", []),
    ("token salah terus pak, TOKEN DITOLAK", []),
    ("SE 5392/B-SI.02.01/SD/E/2024", []),
]


@pytest.mark.parametrize(("text", "tokens"), TOKENS)
def test_tokens(text: str, tokens: list[str]) -> None:
    assert extract(text).token == tokens


def test_masked_hint_is_not_an_email() -> None:
    found = extract("yg muncul eli*****@gmail.com, email sy eli.sari@gmail.com")
    assert found.masked == ["eli*****@gmail.com"]
    assert found.email == ["eli.sari@gmail.com"]


def test_no_reply_sender_stays_in_the_remainder() -> None:
    text = "Tidak ada email dari no-reply@mysapk.bkn.go.id"
    assert extract(text).remainder == text


def test_portal_message_survives_in_the_remainder() -> None:
    text = "Operasi gagal, data email yang dimasukkan tidak sesuai\neli.sari@gmail.com"
    assert extract(text).remainder.startswith(
        "Operasi gagal, data email yang dimasukkan tidak sesuai"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("nip 19860926 201505 1 001", "nip-separators"),
        ("nip 1.98609E+17", "nip-excel-damaged"),
        ("nip 131110468", "nip-old-format"),
        ("nip 19860926201505100l", "nip-invalid-chars"),
        ("nip 1986092620150510", "nip-length"),
        ("nip \uff11\uff19860926201505100\uff11", "nip-lookalike-digits"),
    ],
)
def test_found_nips_feed_check_nip(text: str, code: str) -> None:
    (nip,) = extract(text).nip
    assert code in [f.code for f in check_nip(nip).findings]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("email *eli.sari@gmail.com*", "email-wrapper"),
        ("email eli.sari @gmail.com", "email-inner-space"),
        ("email eli.sari@gmail.com\u200b", "email-trailing-space"),
        ("email \u0435li.sari@gmail.com", "email-confusable"),
    ],
)
def test_found_emails_feed_check_email(text: str, code: str) -> None:
    (email,) = extract(text).email
    assert [f.code for f in check_email(email).findings] == [code]


def test_found_tokens_feed_check_token() -> None:
    (token,) = extract("pak token sy\nAFM4TK1 \nditolak").token
    assert [f.code for f in check_token(token).findings] == ["token-whitespace", "token-reset-code"]


def test_values_per_kind_are_capped() -> None:
    text = " ".join(f"u{i}@gmail.com 19860926 201505 1 {i:03d}" for i in range(1, 60))
    found = extract(text)
    assert len(found.email) == MAX_VALUES
    assert len(found.nip) == MAX_VALUES


def test_text_scanned_is_capped() -> None:
    text = "x " * MAX_SCAN_CHARS + "eli@gmail.com"
    assert extract(text).email == []
