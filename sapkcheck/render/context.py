"""The values prose is filled with, in one language: a profile's placeholders, the password
rule as a phrase, and the FAQ remedies a diagnosis ranked.

Checks and diagnosis return ids and parameters; these sentences are made here, at render
time, from the profile the command loaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sapkcheck.knowledge.i18n import Catalog
    from sapkcheck.knowledge.policies import PasswordPolicy
    from sapkcheck.knowledge.profile import HelpdeskContact, Profile


class RemedyText(NamedTuple):
    """One FAQ entry as a remedy: its title, steps and links, placeholders filled.
    (A NamedTuple: six times cheaper to create at import than a frozen dataclass.)"""

    faq: str
    title: str
    steps: tuple[str, ...]
    links: tuple[str, ...]


def describe_policy(policy: PasswordPolicy, text: Catalog) -> str:
    """The rule as one short phrase, e.g. "minimal 6 karakter, dengan minimal ..."."""
    wanted = (
        (policy.require_upper, "rule-upper"),
        (policy.require_lower, "rule-lower"),
        (
            policy.require_letter and not (policy.require_upper or policy.require_lower),
            "rule-letter",
        ),
        (policy.require_digit, "rule-digit"),
        (policy.require_symbol, "rule-symbol"),
    )
    parts = [text.ui(key) for needed, key in wanted if needed]
    phrase = text.ui("rule-min", length=policy.min_length)
    if parts:
        listed = (
            parts[0]
            if len(parts) == 1
            else (", ".join(parts[:-1]) + " " + text.ui("rule-and") + " " + parts[-1])
        )
        phrase += text.ui("rule-including", parts=listed)
    if policy.mfa:
        phrase += text.ui("rule-mfa")
    return phrase


def profile_context(
    profile: Profile, text: Catalog, policy: PasswordPolicy | None = None
) -> dict[str, str]:
    """Every placeholder value of ``profile`` in ``text``'s language; ``policy`` (the rule
    actually checked, when it is not the profile's) overrides the password values."""
    policy = policy or profile.policy
    portal = profile.portal_info
    words = portal.text(text.lang)
    return {
        **profile.values(),
        "helpdesk": describe_helpdesk(profile.helpdesk, text),
        "app_name": policy.app,
        "password_rule": describe_policy(policy, text),
        "password_min_length": str(policy.min_length),
        "portal_id": portal.id,
        "portal_name": portal.name,
        "portal_url": portal.url,
        "portal_where": words.where,
        "reset_menu": words.reset_menu,
        "mfa_reset_menu": words.mfa_reset_menu or words.reset_menu,
        "reset_code": words.code_name,
        "code_sender": words.code_sender,
        "profile_note": text.ui("profile-note-builtin") if profile.source is None else "",
    }


def describe_helpdesk(contacts: Sequence[HelpdeskContact], text: Catalog) -> str:
    """The contacts as one phrase; the seed FAQ's author is labelled as such."""
    return "; ".join(
        text.ui("helpdesk-seed-author", contact=str(contact))
        if contact.role == "seed-author"
        else str(contact)
        for contact in contacts
    )


def remedy_texts(
    faq_ids: Sequence[str], text: Catalog, context: Mapping[str, str]
) -> list[RemedyText]:
    """The FAQ entries ``faq_ids`` in ``text``'s language, in the order given."""
    if not faq_ids:
        return []
    from sapkcheck.knowledge.faq import get_entry  # only when there is a remedy to show

    remedies: list[RemedyText] = []
    for faq_id in faq_ids:
        entry = get_entry(faq_id)
        filled = entry.text(text.lang, context, portal=context.get("portal_id"))
        remedies.append(
            RemedyText(
                faq=entry.id,
                title=filled.title,
                steps=filled.steps,
                links=tuple(url for url, _ in filled.links),
            )
        )
    return remedies
