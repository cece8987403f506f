"""Output of ``sapkcheck profile``: the region values remedies are filled with."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from sapkcheck.knowledge.i18n import Catalog
from sapkcheck.knowledge.profile import Profile
from sapkcheck.render.console import print_indented
from sapkcheck.render.context import describe_helpdesk, describe_policy
from sapkcheck.render.json_out import SCHEMA_VERSION


def profile_document(profile: Profile, text: Catalog) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "source": str(profile.source) if profile.source else None,
        "region_name": profile.region_name,
        "agency": profile.agency,
        "self_update_url": profile.self_update_url,
        "admin_app_url": profile.admin_app_url,
        "portal": profile.portal,
        "portal_name": profile.portal_info.name,
        "portal_url": profile.portal_info.url,
        "password_policy": profile.password_policy,
        "password_rule": describe_policy(profile.policy, text),
        "helpdesk": [
            {"name": c.name, "contact": c.contact, "role": c.role or None} for c in profile.helpdesk
        ],
    }


def render_profile(profile: Profile, text: Catalog, console: Console) -> None:
    source = str(profile.source) if profile.source else text.ui("profile-builtin")
    console.print(Text(text.ui("profile-title", source=source), "bold"))
    rows = [
        ("profile-region", profile.region_name),
        (
            "profile-portal",
            f"{profile.portal_info.name} ({profile.portal_info.years}), {profile.portal_info.url}",
        ),
        ("profile-agency", profile.agency),
        ("profile-self-update", profile.self_update_url),
        ("profile-admin-app", profile.admin_app_url),
        ("profile-policy", f"{profile.password_policy}: {describe_policy(profile.policy, text)}"),
        ("profile-helpdesk", describe_helpdesk(profile.helpdesk, text)),
    ]
    for key, value in rows:
        line = Text(f"{text.ui(key)}: ", "bold")
        line.append(value)
        print_indented(console, line, 2)
    if profile.source is None:
        print_indented(console, Text(text.ui("profile-note-builtin"), "dim"), 2)
