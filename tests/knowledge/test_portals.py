"""BKN's portals as data (``data/portals.toml``) and where the per-user profile lives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import sapkcheck.knowledge.portals as portals_module
from sapkcheck.knowledge.policies import POLICIES
from sapkcheck.knowledge.portals import (
    CONFIDENCES,
    DEFAULT_PORTAL,
    PortalDataError,
    get_portal,
    load_portals,
)
from sapkcheck.knowledge.profile import find_profile, user_profile_path


def test_the_three_portals_in_order() -> None:
    portals = load_portals()
    assert list(portals) == ["mysapk", "myasn", "asn-digital"]
    assert DEFAULT_PORTAL == "asn-digital"
    assert [p.policy_name for p in portals.values()] == ["mysapk", "myasn", "asn-digital"]
    assert all(p.policy is POLICIES[p.policy_name] for p in portals.values())


def test_facts_of_each_portal() -> None:
    mysapk, asn = get_portal("mysapk"), get_portal("asn-digital")
    assert (mysapk.url, mysapk.mfa, mysapk.reset_code) == (
        "https://mysapk.bkn.go.id",
        False,
        "token",
    )
    assert mysapk.text("id").code_sender == "no-reply@mysapk.bkn.go.id"
    assert mysapk.text("id").reset_menu == "Lupa Password"
    assert (asn.url, asn.mfa, asn.reset_code) == (
        "https://asndigital.bkn.go.id",
        True,
        "email-code",
    )
    assert "Reset MFA" in asn.text("en").mfa_reset_menu
    assert "captcha" in " ".join(asn.text("en").reset_flow)
    # The 2025 sender address is unknown: it is never made up.
    assert "@" not in asn.text("id").code_sender


@pytest.mark.parametrize("portal_id", ["mysapk", "myasn", "asn-digital"])
def test_every_portal_is_sourced_and_bilingual(portal_id: str) -> None:
    portal = get_portal(portal_id)
    assert portal.sources and all(s.confidence in CONFIDENCES for s in portal.sources)
    for lang in ("id", "en"):
        text = portal.text(lang)
        assert text.where and text.reset_menu and text.code_name and text.code_sender
        assert text.reset_flow
    assert len(portal.text_id.reset_flow) == len(portal.text_en.reset_flow)
    # Only addresses the seed or domain.md back.
    assert portal.url in {"https://mysapk.bkn.go.id", "https://asndigital.bkn.go.id"}


def _broken(monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    raw = portals_module.read_toml("data", "portals.toml")
    change(raw["portals"])
    monkeypatch.setattr(portals_module, "read_toml", lambda *parts: raw)
    load_portals.cache_clear()


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["myasn"].update(policy="myasn2024"),
        lambda p: p["myasn"].update(sources=[]),
        lambda p: p["myasn"]["sources"][0].update(confidence="probably"),
        lambda p: p["mysapk"].update(mfa="no"),
        lambda p: p["mysapk"]["text"]["en"].update(mfa_reset_menu="Reset MFA"),
        lambda p: p["asn-digital"]["text"]["id"].pop("reset_menu"),
        lambda p: p.pop("asn-digital"),
    ],
)
def test_malformed_data_is_refused(monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    _broken(monkeypatch, change)
    try:
        with pytest.raises(PortalDataError):
            load_portals()
    finally:
        monkeypatch.undo()
        load_portals.cache_clear()
    assert "asn-digital" in load_portals()


# --- the per-user profile -------------------------------------------------------------------


def test_user_profile_path_linux_and_macos(tmp_path: Path) -> None:
    xdg = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}
    for platform in ("linux", "darwin"):
        assert user_profile_path(xdg, platform) == tmp_path / "xdg" / "sapkcheck" / "profile.toml"
        home = {"HOME": str(tmp_path / "home")}
        expected = tmp_path / "home" / ".config" / "sapkcheck" / "profile.toml"
        assert user_profile_path(home, platform) == expected
        # A relative XDG_CONFIG_HOME is ignored, as the XDG specification says.
        relative = {"XDG_CONFIG_HOME": "cfg", "HOME": str(tmp_path / "home")}
        assert user_profile_path(relative, platform) == expected


def test_user_profile_path_windows(tmp_path: Path) -> None:
    env = {"APPDATA": str(tmp_path / "Roaming"), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    assert user_profile_path(env, "win32") == tmp_path / "Roaming" / "sapkcheck" / "profile.toml"
    assert user_profile_path({}, "win32") is None


def test_find_profile_precedence(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    given = tmp_path / "given.toml"
    assert find_profile(None, env) is None  # no per-user file: built in
    user = tmp_path / "sapkcheck" / "profile.toml"
    user.parent.mkdir()
    user.write_text("", encoding="utf-8")
    assert find_profile(None, env) == user
    assert find_profile(given, env) == given  # --profile / SAPKCHECK_PROFILE first
