"""BKN's self-service portals (``data/portals.toml``): MySAPK (2019-2021), MyASN (2024),
ASN Digital (2025-). Typed loader; the renderer turns a portal into placeholder values
(``sapkcheck.render.context.profile_context``)."""

from __future__ import annotations

from functools import cache
from typing import Any, Final, Literal, NamedTuple

from sapkcheck.knowledge.data import read_toml
from sapkcheck.knowledge.policies import POLICIES, PasswordPolicy

DEFAULT_PORTAL: Final = "asn-digital"
CONFIDENCES: Final = frozenset({"confirmed", "secondary", "uncertain"})
ResetCode = Literal["token", "email-code"]


class PortalDataError(ValueError):
    """``portals.toml`` is malformed (a packaging bug, not a user error)."""


class Source(NamedTuple):
    """Where a fact comes from: a title, a date (as precise as known), a confidence."""

    title: str
    date: str
    confidence: str


class PortalText(NamedTuple):
    where: str
    reset_menu: str
    mfa_reset_menu: str
    code_name: str
    code_sender: str
    reset_flow: tuple[str, ...]


class Portal(NamedTuple):
    id: str
    name: str
    years: str
    url: str
    policy_name: str
    mfa: bool
    reset_code: ResetCode
    text_id: PortalText
    text_en: PortalText
    sources: tuple[Source, ...]
    device: str = "any"  # "laptop": open in a laptop/PC browser, not on a phone

    @property
    def policy(self) -> PasswordPolicy:
        return POLICIES[self.policy_name]

    def text(self, lang: str) -> PortalText:
        return self.text_id if lang == "id" else self.text_en


@cache
def load_portals() -> dict[str, Portal]:
    """Every portal by id, in file order (read once)."""
    raw = read_toml("data", "portals.toml").get("portals")
    if not isinstance(raw, dict) or not raw:
        raise PortalDataError("portals.toml: missing [portals]")
    portals = {portal_id: _portal(portal_id, spec) for portal_id, spec in raw.items()}
    if DEFAULT_PORTAL not in portals:
        raise PortalDataError(f"portals.toml: the default portal {DEFAULT_PORTAL} is missing")
    return portals


def get_portal(portal_id: str) -> Portal:
    """The portal ``portal_id``; KeyError if there is none."""
    return load_portals()[portal_id]


def parse_sources(raw: Any, where: str) -> tuple[Source, ...]:
    """``sources = [{ title, date, confidence }]`` (shared with the FAQ's loader)."""
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}.sources missing or empty")
    sources: list[Source] = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"title", "date", "confidence"}:
            raise ValueError(f"{where}.sources: each needs exactly title, date, confidence")
        if not all(isinstance(value, str) and value.strip() for value in item.values()):
            raise ValueError(f"{where}.sources: empty or non-text value")
        if item["confidence"] not in CONFIDENCES:
            raise ValueError(f"{where}.sources: unknown confidence {item['confidence']!r}")
        sources.append(Source(item["title"], item["date"], item["confidence"]))
    return tuple(sources)


def _portal(portal_id: str, spec: Any) -> Portal:
    where = f"portals.toml: {portal_id}"
    if not isinstance(spec, dict):
        raise PortalDataError(f"{where} is not a table")
    name, years, url, policy = (
        _text(spec, key, where) for key in ("name", "years", "url", "policy")
    )
    if policy not in POLICIES:
        raise PortalDataError(f"{where}.policy: unknown policy {policy!r}")
    mfa = spec.get("mfa")
    if not isinstance(mfa, bool):
        raise PortalDataError(f"{where}.mfa is not true/false")
    reset_code = spec.get("reset_code")
    if reset_code not in ("token", "email-code"):
        raise PortalDataError(f"{where}.reset_code must be token or email-code")
    device = spec.get("device", "any")
    if device not in ("any", "laptop"):
        raise PortalDataError(f"{where}.device must be any or laptop")
    texts = spec.get("text")
    if not isinstance(texts, dict):
        raise PortalDataError(f"{where}.text missing")
    try:
        sources = parse_sources(spec.get("sources"), where)
    except ValueError as exc:
        raise PortalDataError(str(exc)) from exc
    return Portal(
        id=portal_id,
        name=name,
        years=years,
        url=url,
        policy_name=policy,
        mfa=mfa,
        reset_code=reset_code,
        text_id=_portal_text(texts.get("id"), f"{where}.text.id", mfa),
        text_en=_portal_text(texts.get("en"), f"{where}.text.en", mfa),
        sources=sources,
        device=device,
    )


def _portal_text(raw: Any, where: str, mfa: bool) -> PortalText:
    if not isinstance(raw, dict):
        raise PortalDataError(f"{where} missing")
    flow = raw.get("reset_flow")
    if not isinstance(flow, list) or not flow or not all(isinstance(s, str) for s in flow):
        raise PortalDataError(f"{where}.reset_flow must be a list of texts")
    mfa_reset_menu = raw.get("mfa_reset_menu")
    if not isinstance(mfa_reset_menu, str) or bool(mfa_reset_menu.strip()) != mfa:
        raise PortalDataError(f"{where}.mfa_reset_menu must be given exactly when mfa = true")
    return PortalText(
        where=_text(raw, "where", where),
        reset_menu=_text(raw, "reset_menu", where),
        mfa_reset_menu=mfa_reset_menu,
        code_name=_text(raw, "code_name", where),
        code_sender=_text(raw, "code_sender", where),
        reset_flow=tuple(flow),
    )


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PortalDataError(f"{where}.{key} missing or not text")
    return value
