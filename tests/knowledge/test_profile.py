"""Region profile loading and validation, and the password policies it names."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from sapkcheck.knowledge.i18n import Lang, catalog
from sapkcheck.knowledge.policies import POLICIES
from sapkcheck.knowledge.profile import (
    FILE_KEY,
    PLACEHOLDER_NAMES,
    PROFILE_TEMPLATE,
    HelpdeskContact,
    Profile,
    ProfileError,
    load_profile,
    parse_profile,
)
from sapkcheck.render.context import describe_policy, profile_context

VALID = """\
region_name = "Kota Contoh"
agency = "BKPSDM Kota Contoh"
self_update_url = "simpeg.contoh.example/pegawai"
admin_app_url = "simpeg.contoh.example/admin"
password_policy = "myasn"

[[helpdesk]]
name = "Helpdesk BKPSDM"
contact = "0812-0000-0000"

[[helpdesk]]
name = "Layanan email"
contact = "helpdesk@contoh.example"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        load_profile(_write(tmp_path, text))
    return info.value


def _without_line(text: str, start: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith(start))


# --- default profile -------------------------------------------------------------------------


def test_default_profile_is_sumbawa() -> None:
    profile = load_profile(None)
    assert profile.region_name == "Kabupaten Sumbawa"
    assert profile.agency == "BKPP Kabupaten Sumbawa"
    assert profile.self_update_url == "bkpp.sumbawakab.go.id/ip-pegawai"
    assert profile.admin_app_url == "bkpp.sumbawakab.go.id/ip-asn"
    assert profile.portal == "asn-digital"
    assert profile.password_policy == "asn-digital"  # the portal's: the profile names none
    assert profile.policy is POLICIES["asn-digital"]
    seed_author = HelpdeskContact("Syaifullah, S.Kom.", "Syaifullah.sbw@gmail.com", "seed-author")
    assert seed_author in profile.helpdesk
    assert profile.source is None
    assert load_profile() is load_profile(None)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_placeholders(lang: Lang) -> None:
    values = profile_context(load_profile(None), catalog(lang))
    assert set(values) == PLACEHOLDER_NAMES
    assert all(isinstance(v, str) and v for v in values.values())
    assert values["region_name"] == "Kabupaten Sumbawa"
    assert values["app_name"] == "ASN Digital"
    assert values["password_min_length"] == "12"
    assert values["portal_name"] == "ASN Digital"
    assert values["portal_url"] == "https://asndigital.bkn.go.id"
    assert "Syaifullah.sbw@gmail.com" in values["helpdesk"]
    # The seed's author is the FAQ's contact, never presented as an official helpdesk.
    label = {"id": "bukan helpdesk resmi", "en": "not an official helpdesk"}[lang]
    assert label in values["helpdesk"]


def test_password_rule_follows_language() -> None:
    profile = dataclasses.replace(load_profile(None), password_policy="mysapk")
    assert profile_context(profile, catalog("id"))["password_rule"] == (
        "minimal 6 karakter, dengan minimal 1 huruf besar dan 1 angka"
    )
    assert profile_context(profile, catalog("en"))["password_rule"] == (
        "at least 6 characters, including at least 1 capital letter and 1 digit"
    )


# --- other profiles --------------------------------------------------------------------------


def test_valid_profile_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID)
    profile = load_profile(path)
    assert profile == Profile(
        region_name="Kota Contoh",
        agency="BKPSDM Kota Contoh",
        self_update_url="simpeg.contoh.example/pegawai",
        admin_app_url="simpeg.contoh.example/admin",
        password_policy="myasn",
        helpdesk=(
            HelpdeskContact("Helpdesk BKPSDM", "0812-0000-0000"),
            HelpdeskContact("Layanan email", "helpdesk@contoh.example"),
        ),
    )
    assert profile.source == path
    assert profile.values()["helpdesk"] == (
        "Helpdesk BKPSDM (0812-0000-0000); Layanan email (helpdesk@contoh.example)"
    )
    assert profile_context(profile, catalog("en"))["password_rule"].startswith(
        "at least 8 characters"
    )


def test_values_are_trimmed(tmp_path: Path) -> None:
    text = VALID.replace('"Kota Contoh"', '"  Kota Contoh \\t"')
    assert load_profile(_write(tmp_path, text)).region_name == "Kota Contoh"


def test_template_is_a_valid_profile(tmp_path: Path) -> None:
    tomllib.loads(PROFILE_TEMPLATE)
    profile = load_profile(_write(tmp_path, PROFILE_TEMPLATE))
    assert profile.password_policy in POLICIES
    assert parse_profile(PROFILE_TEMPLATE) == profile


def test_template_explains_every_key_and_policy() -> None:
    comments = "\n".join(
        line for line in PROFILE_TEMPLATE.splitlines() if line.lstrip().startswith("#")
    )
    for key in ("name", "contact"):
        assert f"{key} " in comments
    for policy in POLICIES:
        assert f'"{policy}"' in comments
    # Each top-level key is preceded by a comment line.
    lines = PROFILE_TEMPLATE.splitlines()
    for index, line in enumerate(lines):
        if "=" in line and not line.startswith("#") and not line.startswith(("name", "contact")):
            assert lines[index - 1].startswith("#"), line


@pytest.mark.parametrize("key", ["region_name", "agency", "self_update_url", "admin_app_url"])
def test_missing_key(tmp_path: Path, key: str) -> None:
    error = _error(tmp_path, _without_line(VALID, key))
    assert (error.key, error.problem) == (key, "missing")


def test_missing_helpdesk(tmp_path: Path) -> None:
    text = VALID.split("[[helpdesk]]")[0]
    error = _error(tmp_path, text)
    assert (error.key, error.problem) == ("helpdesk", "missing")


def test_missing_helpdesk_contact(tmp_path: Path) -> None:
    text = VALID.replace('contact = "helpdesk@contoh.example"\n', "")
    error = _error(tmp_path, text)
    assert (error.key, error.problem) == ("helpdesk[1].contact", "missing")


def test_unknown_key(tmp_path: Path) -> None:
    error = _error(tmp_path, 'regoin_name = "typo"\n' + VALID)
    assert (error.key, error.problem) == ("regoin_name", "unknown")


def test_unknown_helpdesk_key(tmp_path: Path) -> None:
    error = _error(tmp_path, VALID + 'phone = "0812"\n')
    assert (error.key, error.problem) == ("helpdesk[1].phone", "unknown")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('region_name = "Kota Contoh"', "region_name = 12", "region_name"),
        ('password_policy = "myasn"', 'password_policy = ["myasn"]', "password_policy"),
        ('agency = "BKPSDM Kota Contoh"', "agency = true", "agency"),
        ('contact = "0812-0000-0000"', "contact = 812", "helpdesk[0].contact"),
    ],
)
def test_wrong_type(tmp_path: Path, old: str, new: str, key: str) -> None:
    error = _error(tmp_path, VALID.replace(old, new))
    assert (error.key, error.problem) == (key, "type")


def test_helpdesk_not_a_list(tmp_path: Path) -> None:
    text = VALID.split("[[helpdesk]]")[0] + 'helpdesk = "someone@example.org"\n'
    error = _error(tmp_path, text)
    assert (error.key, error.problem) == ("helpdesk", "type")


def test_helpdesk_item_not_a_table(tmp_path: Path) -> None:
    text = VALID.split("[[helpdesk]]")[0] + 'helpdesk = ["someone@example.org"]\n'
    error = _error(tmp_path, text)
    assert (error.key, error.problem) == ("helpdesk[0]", "type")


@pytest.mark.parametrize("policy", ["MySAPK ", "sapk", "asn_digital", "ASN Digital"])
def test_unknown_policy(tmp_path: Path, policy: str) -> None:
    error = _error(tmp_path, VALID.replace('"myasn"', f'"{policy}"'))
    assert (error.key, error.problem) == ("password_policy", "value")


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_every_policy_is_accepted(tmp_path: Path, policy: str) -> None:
    profile = load_profile(_write(tmp_path, VALID.replace('"myasn"', f'"{policy}"')))
    assert profile.policy.name == policy


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('region_name = "Kota Contoh"', 'region_name = "   "', "region_name"),
        (
            'self_update_url = "simpeg.contoh.example/pegawai"',
            'self_update_url = "simpeg.contoh.example/ pegawai"',
            "self_update_url",
        ),
        ('name = "Helpdesk BKPSDM"', 'name = ""', "helpdesk[0].name"),
    ],
)
def test_bad_value(tmp_path: Path, old: str, new: str, key: str) -> None:
    error = _error(tmp_path, VALID.replace(old, new))
    assert (error.key, error.problem) == (key, "value")


def test_empty_helpdesk(tmp_path: Path) -> None:
    text = VALID.split("[[helpdesk]]")[0] + "helpdesk = []\n"
    error = _error(tmp_path, text)
    assert (error.key, error.problem) == ("helpdesk", "value")


def test_syntax_error(tmp_path: Path) -> None:
    error = _error(tmp_path, VALID.replace('region_name = "Kota Contoh"', "region_name = Kota"))
    assert (error.key, error.problem) == (FILE_KEY, "syntax")
    assert error.detail  # the parser's message, for debugging


def test_unreadable(tmp_path: Path) -> None:
    for path in (tmp_path / "missing.toml", tmp_path):
        with pytest.raises(ProfileError) as info:
            load_profile(path)
        assert (info.value.key, info.value.problem) == (FILE_KEY, "unreadable")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.replace("Kota Contoh", "Kota Contóh").encode("latin-1"))
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert info.value.problem == "unreadable"


def test_error_is_an_exception_with_short_str() -> None:
    error = ProfileError("agency", "missing")
    assert isinstance(error, Exception)
    assert str(error) == "agency: missing"


# --- password policies -----------------------------------------------------------------------


def test_policies() -> None:
    assert set(POLICIES) == {"mysapk", "myasn", "asn-digital"}
    mysapk, myasn, digital = POLICIES["mysapk"], POLICIES["myasn"], POLICIES["asn-digital"]
    assert (mysapk.min_length, mysapk.require_upper, mysapk.require_digit) == (6, True, True)
    assert not (mysapk.require_lower or mysapk.require_symbol or mysapk.mfa)
    assert (myasn.min_length, myasn.require_letter, myasn.require_digit) == (8, True, True)
    assert not (myasn.require_upper or myasn.require_lower or myasn.require_symbol)
    assert digital.min_length == 12
    assert digital.require_upper and digital.require_lower
    assert digital.require_digit and digital.require_symbol and digital.mfa
    assert [p.app for p in (mysapk, myasn, digital)] == ["MySAPK", "MyASN", "ASN Digital"]
    assert [p.year for p in (mysapk, myasn, digital)] == [2021, 2024, 2025]


def test_policy_descriptions() -> None:
    assert (
        describe_policy(POLICIES["myasn"], catalog("id"))
        == "minimal 8 karakter, dengan minimal 1 huruf dan 1 angka"
    )
    assert describe_policy(POLICIES["asn-digital"], catalog("en")) == (
        "at least 12 characters, including at least 1 capital letter, 1 lower-case letter,"
        " 1 digit and 1 symbol; signing in also needs two-step verification (MFA)"
    )


# --- portal, default policy, encodings, helpdesk roles ------------------------------------------


@pytest.mark.parametrize(
    ("portal", "policy"), [("mysapk", "mysapk"), ("myasn", "myasn"), ("asn-digital", "asn-digital")]
)
def test_policy_follows_the_portal_unless_named(tmp_path: Path, portal: str, policy: str) -> None:
    text = f'portal = "{portal}"\n' + _without_line(VALID, "password_policy")
    profile = load_profile(_write(tmp_path, text))
    assert (profile.portal, profile.password_policy) == (portal, policy)
    named = load_profile(_write(tmp_path, f'portal = "{portal}"\n' + VALID))
    assert (named.portal, named.password_policy) == (portal, "myasn")


def test_portal_defaults_to_asn_digital(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, _without_line(VALID, "password_policy")))
    assert (profile.portal, profile.password_policy) == ("asn-digital", "asn-digital")


@pytest.mark.parametrize("portal", ["ASN Digital", "sapk", "mysapk2"])
def test_unknown_portal(tmp_path: Path, portal: str) -> None:
    error = _error(tmp_path, f'portal = "{portal}"\n' + VALID)
    assert (error.key, error.problem) == ("portal", "value")


def test_portal_changes_the_placeholders(tmp_path: Path) -> None:
    then = load_profile(_write(tmp_path, 'portal = "mysapk"\n' + VALID))
    values = profile_context(then, catalog("id"))
    assert values["portal_name"] == "MySAPK"
    assert values["reset_menu"] == "Lupa Password"
    assert values["code_sender"] == "no-reply@mysapk.bkn.go.id"
    today = profile_context(load_profile(_write(tmp_path, VALID)), catalog("id"))
    assert today["portal_name"] == "ASN Digital"
    assert "Reset Password (Lupa Password)" in today["reset_menu"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-8"])
def test_utf16_and_utf8_profiles_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "profile.toml"
    text = VALID.replace("Kota Contoh", "Kota Contoh \u2013 Timur")
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # what PowerShell writes: with its BOM
        data = ("\ufeff" + text).encode(encoding)
    path.write_bytes(data)
    assert load_profile(path).region_name == "Kota Contoh \u2013 Timur"


def test_utf16_without_bom_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_bytes(VALID.encode("utf-16-le"))
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert (info.value.key, info.value.problem) in {(FILE_KEY, "unreadable"), (FILE_KEY, "syntax")}


def test_helpdesk_role(tmp_path: Path) -> None:
    text = VALID.replace(
        'contact = "0812-0000-0000"\n', 'contact = "0812-0000-0000"\nrole = "seed-author"\n'
    )
    profile = load_profile(_write(tmp_path, text))
    assert profile.helpdesk[0].role == "seed-author"
    assert profile.helpdesk[1].role == ""
    error = _error(tmp_path, text.replace('"seed-author"', '"official"'))
    assert (error.key, error.problem) == ("helpdesk[0].role", "value")
