"""The FAQ knowledge base: data completeness, rendering and fuzzy search."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from sapkcheck.knowledge.faq import (
    LANGS,
    FaqDataError,
    FaqEntry,
    Lang,
    all_codes,
    entries_for_code,
    fill,
    get_entry,
    load_faq,
    search,
)
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.knowledge.portals import CONFIDENCES, load_portals
from sapkcheck.knowledge.profile import PLACEHOLDER_NAMES, Profile, load_profile
from sapkcheck.render.context import profile_context

REQUIRED_IDS = (
    "aktivasi-akun",
    "reset-tidak-merespon",
    "operasi-gagal",
    "email-tidak-sesuai",
    "jadwal-pemutakhiran",
    "token-tidak-diterima",
    "syarat-password",
    "data-not-found-auth",
    "email-tidak-bisa-dibuka",
    "nip-lama",
    "nip-excel",
)

NEW_IDS = (
    "mfa-aktivasi",
    "mfa-kode-salah",
    "mfa-reset",
    "mfa-qr-tidak-muncul",
    "password-lemah",
    "captcha-salah",
    "portal-mana",
    "nip-belum-terbit",
    "email-instansi",
    "nip-salah-di-data",
    "akun-terkunci",
    "kode-kedaluwarsa",
    "admin-ubah-email",
    "keamanan-akun",
)

SEED_NUMBERS = {
    "aktivasi-akun": 1,
    "reset-tidak-merespon": 2,
    "operasi-gagal": 3,
    "email-tidak-sesuai": 4,
    "jadwal-pemutakhiran": 5,
}

# Every link of the seed FAQ (Kabupaten Sumbawa, 31 July 2021), exactly as written there.
# Note: the seed spells the "update email personal" video two ways (MQSdQg3aQuo in answer 1,
# MQSdOg3aQuo in answer 4); both are kept.
SEED_LINKS = (
    "https://www.youtube.com/watch?v=v7CelZ_HP3w&t=8s",
    "https://www.youtube.com/watch?v=MQSdQg3aQuo",
    "https://www.youtube.com/watch?v=HiuB7HkXtjA",
    "https://www.youtube.com/watch?v=MQSdOg3aQuo",
    "https://mysapk.bkn.go.id",
    "https://mysapk.bkn.go.id/",
    "bkpp.sumbawakab.go.id/ip-pegawai",
    "bkpp.sumbawakab.go.id/ip-asn",
)

CODE_TO_ENTRY = {
    "email-trailing-space": "operasi-gagal",
    "email-leading-space": "operasi-gagal",
    "email-inner-space": "operasi-gagal",
    "email-invisible-char": "operasi-gagal",
    "email-mismatch": "email-tidak-sesuai",
    "email-hint-mismatch": "email-tidak-sesuai",
    "email-case-differs": "email-tidak-sesuai",
    "nip-old-format": "nip-lama",
    "nip-excel-damaged": "nip-excel",
    "password-too-short": "syarat-password",
    "password-no-uppercase": "syarat-password",
    "password-no-lowercase": "syarat-password",
    "password-no-digit": "syarat-password",
    "password-no-symbol": "syarat-password",
    "password-whitespace": "syarat-password",
    "password-invisible-char": "syarat-password",
    "password-inner-space": "syarat-password",
    "token-wrong-source": "mfa-kode-salah",
    "message-use-laptop": "portal-mana",
    "token-whitespace": "token-salah",
    "token-invisible-char": "token-salah",
    "token-confusable": "token-salah",
    "token-punctuation": "token-salah",
    "password-non-ascii": "syarat-password",
    # The four the FAQ file had lost while the registry kept them (now one home: the registry).
    "email-wrapper": "operasi-gagal",
    "password-no-letter": "syarat-password",
    "token-missing": "token-tidak-diterima",
    "row-duplicate-email": "token-tidak-diterima",
    # Which kind of code was pasted (issue 12).
    "token-authenticator-code": "mfa-kode-salah",
    "token-reset-code": "token-salah",
}

PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


def _mysapk_profile() -> Profile:
    """The built-in profile as it was in 2021: the MySAPK portal and its password rule."""
    return dataclasses.replace(load_profile(None), portal="mysapk", password_policy="mysapk")


def _filled(entry: FaqEntry, lang: Lang = "id", profile: Profile | None = None) -> str:
    values = profile_context(profile or load_profile(None), catalog(lang))
    text = entry.text(lang, values)
    parts = [text.title, *text.symptoms, *text.steps]
    parts += [part for link in text.links for part in link]
    return "\n".join(parts)


# --- data ------------------------------------------------------------------------------------


def test_required_ids_exist() -> None:
    ids = [entry.id for entry in load_faq()]
    assert len(ids) == len(set(ids))
    for entry_id in (*REQUIRED_IDS, *NEW_IDS):
        assert entry_id in ids


@pytest.mark.parametrize("entry", load_faq(), ids=lambda e: e.id)
def test_every_entry_has_sources(entry: FaqEntry) -> None:
    assert entry.sources
    for source in entry.sources:
        assert source.title.strip() and source.date.strip()
        assert source.confidence in CONFIDENCES
        assert re.match(r"\d{4}", source.date), source.date


@pytest.mark.parametrize("entry", load_faq(), ids=lambda e: e.id)
def test_every_entry_has_symptoms_in_both_languages(entry: FaqEntry) -> None:
    assert len(entry.text_id.symptoms) >= 3
    assert len(entry.text_en.symptoms) >= 3


@pytest.mark.parametrize("entry", load_faq(), ids=lambda e: e.id)
def test_portal_variants_are_complete(entry: FaqEntry) -> None:
    for variant in entry.variants:
        assert variant.portal in load_portals()
        assert variant.title_id.strip() and variant.title_en.strip()
        assert variant.steps_id and len(variant.steps_id) == len(variant.steps_en)


def test_remedies_follow_the_portal() -> None:
    entry = get_entry("aktivasi-akun")
    today = _filled(entry)
    assert "https://asndigital.bkn.go.id" in today
    assert "RESET → Reset Password (Lupa Password)" in today
    assert "Play Store" not in today and "mysapk.bkn.go.id" not in today
    then = _filled(entry, profile=_mysapk_profile())
    assert "Play Store" in then and "no-reply@mysapk.bkn.go.id" in then
    assert "Langkah-langkah aktivasi akun MySAPK" in then
    assert "https://asndigital.bkn.go.id" not in then
    # An entry without a portal variant names the portal through placeholders.
    expired = get_entry("kode-kedaluwarsa")
    assert not expired.variants
    assert "Minta yang baru lewat Lupa Password" in _filled(expired, profile=_mysapk_profile())
    assert "RESET → Reset Password (Lupa Password)" in _filled(expired)


def test_admins_change_emails_in_siasn_today() -> None:
    today = _filled(get_entry("email-tidak-sesuai"))
    assert "SIASN" in today and "Inbox Usul" in today
    assert "mengimpor perubahan email ke database SAPK" not in today
    then = _filled(get_entry("email-tidak-sesuai"), profile=_mysapk_profile())
    assert "mengimpor perubahan email ke database SAPK" in then


@pytest.mark.parametrize("entry", load_faq(), ids=lambda e: e.id)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_entry_complete_in_both_languages(entry: FaqEntry, lang: Lang) -> None:
    text = entry.text(lang)
    assert text.title.strip()
    assert text.symptoms and all(s.strip() for s in text.symptoms)
    assert text.steps and all(s.strip() for s in text.steps)
    for step in text.steps:
        assert not re.match(r"\s*\d+[.)]", step), "steps are numbered by the renderer"


@pytest.mark.parametrize("entry", load_faq(), ids=lambda e: e.id)
def test_translations_have_the_same_number_of_steps(entry: FaqEntry) -> None:
    assert len(entry.text_id.steps) == len(entry.text_en.steps)


def test_seed_numbers() -> None:
    for entry in load_faq():
        assert entry.number == SEED_NUMBERS.get(entry.id)


def test_every_seed_link_is_kept() -> None:
    """With the MySAPK portal, the seed's own links are all there."""
    values = profile_context(_mysapk_profile(), catalog("id"))
    urls = {url for entry in load_faq() for url, _ in entry.text("id", values).links}
    for link in SEED_LINKS:
        assert link in urls


def test_seed_facts_are_kept() -> None:
    text = "\n".join(_filled(entry, profile=_mysapk_profile()) for entry in load_faq())
    for fact in (
        "no-reply@mysapk.bkn.go.id",
        "eli*****@gmail.com",
        "Lupa Password",
        "Reset Password",
        "Play Store",
        "1\u00d712",
        "1\u00d724",
        "AFM4TK1",
        "update data mandiri",
        "minimal 6 karakter, dengan minimal 1 huruf besar dan 1 angka",
        "Syaifullah.sbw@gmail.com",
    ):
        assert fact in text, fact


def test_exact_screen_messages_are_symptoms() -> None:
    def symptoms(entry_id: str) -> tuple[str, ...]:
        return get_entry(entry_id).text_id.symptoms

    assert "Operasi Gagal" in symptoms("operasi-gagal")
    assert "Operasi gagal, data email yang dimasukkan tidak sesuai" in symptoms(
        "email-tidak-sesuai"
    )
    assert (
        "Ooops, Operasi Gagal, Data not found in AUTH BKN (Username dan password tidak sesuai)"
        in symptoms("data-not-found-auth")
    )


def test_no_region_value_hard_coded() -> None:
    for entry in load_faq():
        for lang in LANGS:
            raw = entry.text(lang)
            parts = [*raw.steps, *(url for url, _ in raw.links)]
            for part in parts:
                assert "sumbawa" not in part.casefold(), (entry.id, part)
                assert "BKPP" not in part, (entry.id, part)


def test_placeholders_are_provided_by_the_default_profile() -> None:
    used = set().union(*(entry.placeholders() for entry in load_faq()))
    assert used, "the steps use region placeholders"
    assert used <= PLACEHOLDER_NAMES
    for lang in LANGS:
        provided = profile_context(load_profile(None), catalog(lang))
        assert used <= provided.keys()


@pytest.mark.parametrize("entry", load_faq(), ids=lambda e: e.id)
def test_titles_and_symptoms_hold_no_placeholders(entry: FaqEntry) -> None:
    for text in (entry.text_id, entry.text_en):
        for part in (text.title, *text.symptoms):
            assert not PLACEHOLDER.search(part), part


@pytest.mark.parametrize("entry", load_faq(), ids=lambda e: e.id)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_filled_text_has_no_braces_left(entry: FaqEntry, lang: Lang) -> None:
    assert "{" not in _filled(entry, lang)
    assert "}" not in _filled(entry, lang)


def test_text_fills_region_values() -> None:
    text = get_entry("email-tidak-sesuai").text("id", _values())
    steps = "\n".join(text.steps)
    assert "bkpp.sumbawakab.go.id/ip-pegawai" in steps
    assert "bkpp.sumbawakab.go.id/ip-asn" in steps
    assert "BKPP Kabupaten Sumbawa" in steps
    en = get_entry("syarat-password").text("en", profile_context(load_profile(None), catalog("en")))
    assert "at least 12 characters" in en.steps[0]
    assert "ASN Digital" in en.steps[0]


def test_text_without_values_keeps_placeholders() -> None:
    text = get_entry("email-tidak-sesuai").text("id")
    assert any("{self_update_url}" in step for step in text.steps)
    assert ("{self_update_url}", "Modul update data mandiri pegawai") in text.links


def test_fill_leaves_unknown_braces() -> None:
    assert fill("{a} {b} {not a name}", {"a": "x"}) == "x {b} {not a name}"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        get_entry("operasi-gagal").text("fr")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        search("Operasi Gagal", "fr")  # type: ignore[arg-type]


def test_load_is_cached_and_get_entry() -> None:
    assert load_faq() is load_faq()
    assert get_entry("nip-excel").id == "nip-excel"
    with pytest.raises(KeyError):
        get_entry("no-such-entry")


@pytest.mark.parametrize(("code", "entry_id"), sorted(CODE_TO_ENTRY.items()))
def test_codes_point_to_entries(code: str, entry_id: str) -> None:
    assert [entry.id for entry in entries_for_code(code)] == [entry_id]


def test_no_unexpected_codes() -> None:
    assert all_codes() == set(CODE_TO_ENTRY)
    assert entries_for_code("no-such-code") == ()


# --- search ----------------------------------------------------------------------------------

SEARCH_CASES = [
    # The cases named in the design.
    ("Operasi Gagal", "operasi-gagal"),
    ("operasi gagal", "operasi-gagal"),
    ("Operasi gagal, data email yang dimasukkan tidak sesuai", "email-tidak-sesuai"),
    ("Data not found in AUTH BKN", "data-not-found-auth"),
    ("data not found", "data-not-found-auth"),
    ("tidak sesuai", "email-tidak-sesuai"),
    ("token tidak masuk", "token-tidak-diterima"),
    ("tombol reset tidak ada respon", "reset-tidak-merespon"),
    (
        "Ooops, Operasi Gagal, Data not found in AUTH BKN (Username dan password tidak sesuai)",
        "data-not-found-auth",
    ),
    # Realistic pastes: caps, quotes, typos, chat abbreviations, partial text.
    ('"OPERASI GAGAL!!"', "operasi-gagal"),
    ("opeasi gagal", "operasi-gagal"),
    ("kok operasi gagal ya padahal nip benar", "operasi-gagal"),
    ("email ada spasi", "operasi-gagal"),
    ("opersi gagal data emial yg dimasukan tdk sesuai", "email-tidak-sesuai"),
    ("Operasi gagal, data email yang dimasukkan tidak sesuai.. gmn ini min?", "email-tidak-sesuai"),
    ("operasi gagal email tdk sesuai", "email-tidak-sesuai"),
    ("email yg muncul eli*****@gmail.com bukan email saya", "email-tidak-sesuai"),
    ("Ooops, Operasi Gagal, Data not found in AUTH BKN", "data-not-found-auth"),
    ("Ooops operasi gagal data not found", "data-not-found-auth"),
    ("dta not fund in auth bkn", "data-not-found-auth"),
    ("username dan password tidak sesuai", "data-not-found-auth"),
    ("CPNS baru tidak bisa login", "data-not-found-auth"),
    ("token gak masuk2", "token-tidak-diterima"),
    ("token blm masuk sdh 2 jam", "token-tidak-diterima"),
    ("the token email never came", "token-tidak-diterima"),
    ("invalid token", "token-salah"),
    ("reset password tidak bisa diklik", "reset-tidak-merespon"),
    ("tombol reset pasword ga respon di chrome", "reset-tidak-merespon"),
    ("Konfirmasi Reset Password", "reset-tidak-merespon"),
    ("cara aktivasi mysapk", "aktivasi-akun"),
    ("lupa password", "aktivasi-akun"),
    ("kapan jadwal update data mandiri", "jadwal-pemutakhiran"),
    ("periode pemutakhiran tidak muncul di hp", "jadwal-pemutakhiran"),
    (
        "Password Minimal 6 karakter dan menggunakan minimal 1 huruf besar dan 1 angka",
        "syarat-password",
    ),
    ("pw harus ada huruf besar", "syarat-password"),
    ("e-mail lama sdh tidak aktif", "email-tidak-bisa-dibuka"),
    ("NIP saya cuma 9 angka", "nip-lama"),
    ("nip jadi 1,98501E+17 di excel", "nip-excel"),
    ("Operation failed", "operasi-gagal"),
]


@pytest.mark.parametrize(("query", "expected"), SEARCH_CASES)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_search_ranks_expected_entry_first(query: str, expected: str, lang: Lang) -> None:
    results = search(query, lang)
    assert results[0][0].id == expected, [(e.id, s) for e, s in results[:3]]


@pytest.mark.parametrize("query", ["Operasi Gagal", "Data not found in AUTH BKN"])
def test_exact_message_scores_100_and_wins_clearly(query: str) -> None:
    (_, first), (_, second) = search(query, "id")[:2]
    assert first == 100.0
    assert first - second >= 10


def test_scores_are_sorted_and_bounded() -> None:
    results = search("token tidak masuk", "id")
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 100.0 for score in scores)
    assert len(results) == len(load_faq())


def test_search_limit_and_min_score() -> None:
    assert len(search("Operasi Gagal", "id", limit=2)) == 2
    strong = search("Operasi Gagal", "id", min_score=95)
    assert [entry.id for entry, _ in strong] == ["operasi-gagal"]


@pytest.mark.parametrize("query", ["", "   ", "?!...", "\u200b"])
def test_empty_query_finds_nothing(query: str) -> None:
    assert search(query, "id") == []


def test_invisible_characters_in_query_are_ignored() -> None:
    assert search("Operasi\u200b Gagal\ufeff", "id")[0] == (get_entry("operasi-gagal"), 100.0)


def _values() -> dict[str, str]:
    return profile_context(load_profile(None), catalog("id"))


# --- the data file is validated ----------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.pop("sources"),
        lambda e: e.update(sources=[]),
        lambda e: e["sources"][0].pop("date"),
        lambda e: e["sources"][0].update(confidence="maybe"),
        lambda e: e.update(portals={"mysapk2": {}}),
    ],
)
def test_entry_without_valid_sources_or_portal_is_refused(
    monkeypatch: pytest.MonkeyPatch, change: Any
) -> None:
    import sapkcheck.knowledge.faq as faq_module

    raw = faq_module.read_toml("data", "faq.toml")
    change(raw["entries"][-1])
    monkeypatch.setattr(faq_module, "read_toml", lambda *parts: raw)
    load_faq.cache_clear()
    try:
        with pytest.raises(FaqDataError):
            load_faq()
    finally:
        monkeypatch.undo()
        load_faq.cache_clear()
    assert load_faq()[-1].sources
