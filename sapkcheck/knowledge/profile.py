"""The region profile: every value that differs from one regency/city to the next.

The seed FAQ comes from Kabupaten Sumbawa, which is the built-in default. Another region
writes its own TOML file (start from ``PROFILE_TEMPLATE``) and passes its path to
``load_profile``. Errors carry a key and a problem id only; the CLI words them.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

from sapkcheck.knowledge.data import read_data
from sapkcheck.knowledge.policies import POLICIES, PasswordPolicy
from sapkcheck.knowledge.portals import DEFAULT_PORTAL, Portal, get_portal, load_portals
from sapkcheck.limits import MAX_PROFILE_BYTES, MAX_PROFILE_DEPTH

ProfileProblem = Literal[
    "missing", "unknown", "type", "value", "syntax", "unreadable", "too-large", "too-deep"
]

FILE_KEY: Final = "<file>"
"""The ``key`` of a ProfileError about the file as a whole (``syntax``, ``unreadable``)."""

_STRING_KEYS: Final = (
    "region_name",
    "agency",
    "self_update_url",
    "admin_app_url",
)
_OPTIONAL_KEYS: Final = ("portal", "password_policy", "email_domains")
_HELPDESK_KEYS: Final = ("name", "contact")
_HELPDESK_OPTIONAL: Final = ("role",)
HELPDESK_ROLES: Final = frozenset({"seed-author"})
"""``role`` of a helpdesk contact: ``seed-author`` marks the seed FAQ's author (2021), who
is shown as the FAQ's contact and not as an official helpdesk."""
_TOP_KEYS: Final = frozenset((*_STRING_KEYS, *_OPTIONAL_KEYS, "helpdesk"))


class ProfileError(Exception):
    """A profile could not be used.

    ``key`` is the offending key as a dotted path (``helpdesk[0].contact``), or ``FILE_KEY``
    for ``syntax``/``unreadable``. ``problem`` is one of: ``missing``, ``unknown`` (a key
    that is not part of the format), ``type`` (wrong TOML type), ``value`` (right type, bad
    value: empty text, unknown password policy, no helpdesk), ``syntax`` (not valid TOML),
    ``unreadable`` (the file cannot be read). ``detail`` is an untranslated hint for
    debugging (e.g. the TOML parser's message), may be empty.
    """

    def __init__(self, key: str, problem: ProfileProblem, detail: str = "") -> None:
        super().__init__(key, problem, detail)
        self.key = key
        self.problem: ProfileProblem = problem
        self.detail = detail

    def __str__(self) -> str:
        text = f"{self.key}: {self.problem}"
        return f"{text} ({self.detail})" if self.detail else text


class HelpdeskContact(NamedTuple):
    """One person or desk to ask: a display name and an email, phone or URL; ``role`` is
    "" or one of ``HELPDESK_ROLES``."""

    name: str
    contact: str
    role: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.contact})"


@dataclass(frozen=True, slots=True)
class Profile:
    """Region-specific values. ``source`` is the file it came from, None for the default.

    ``portal`` is the BKN portal staff use (``data/portals.toml``); ``password_policy`` is
    the profile's own choice, or the portal's policy when the profile names none."""

    region_name: str
    agency: str
    self_update_url: str
    admin_app_url: str
    password_policy: str
    helpdesk: tuple[HelpdeskContact, ...]
    source: Path | None = field(default=None, compare=False)
    portal: str = DEFAULT_PORTAL
    email_domains: tuple[str, ...] = ()

    def with_portal(self, portal: str) -> Profile:
        """This profile for another portal (the one a person says they used). The password
        policy follows the portal unless the profile chose its own."""
        from dataclasses import replace

        own_policy = self.password_policy != get_portal(self.portal).policy_name
        policy = self.password_policy if own_policy else get_portal(portal).policy_name
        return replace(self, portal=portal, password_policy=policy)

    def domains(self) -> tuple[str, ...]:
        """The region's own mail domains and hosts, for the email domain typo hints: the
        profile's ``email_domains`` and the hosts of its two URLs (``bkpp.sumbawakab.go.id``).
        The check reduces each to its name and family."""
        hosts = (_host(self.self_update_url), _host(self.admin_app_url))
        return tuple(dict.fromkeys((*self.email_domains, *(h for h in hosts if h))))

    @property
    def policy(self) -> PasswordPolicy:
        return POLICIES[self.password_policy]

    @property
    def portal_info(self) -> Portal:
        return get_portal(self.portal)

    def values(self) -> dict[str, str]:
        """The profile's own values for the ``{placeholders}`` of the FAQ text.

        Keys: region_name, agency, self_update_url, admin_app_url, helpdesk. The password
        values (app_name, password_rule, password_min_length) are phrases in a language:
        the renderer adds them (``sapkcheck.render.context.profile_context``).
        """
        return {
            "region_name": self.region_name,
            "agency": self.agency,
            "self_update_url": self.self_update_url,
            "admin_app_url": self.admin_app_url,
            "helpdesk": "; ".join(str(contact) for contact in self.helpdesk),
        }


PLACEHOLDER_NAMES: Final = frozenset(
    (
        "region_name",
        "agency",
        "self_update_url",
        "admin_app_url",
        "helpdesk",
        "app_name",
        "password_rule",
        "password_min_length",
        "portal_id",
        "portal_name",
        "portal_url",
        "portal_where",
        "reset_menu",
        "mfa_reset_menu",
        "reset_code",
        "code_sender",
        "profile_note",
    )
)
"""Every placeholder name a rendered context provides (``Profile.values``, and the password
and portal values ``render.context.profile_context`` adds; ``profile_note`` is the line saying
the built-in profile is in use, empty for a profile from a file)."""


def user_profile_path(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> Path | None:
    """Where the per-user profile lives (whether or not it exists): on Windows
    ``%APPDATA%\\sapkcheck\\profile.toml``, elsewhere ``$XDG_CONFIG_HOME/sapkcheck/profile.toml``
    or ``~/.config/sapkcheck/profile.toml``. None when no such folder can be named."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        appdata = environ.get("APPDATA", "")
        return Path(appdata) / "sapkcheck" / "profile.toml" if appdata else None
    xdg = environ.get("XDG_CONFIG_HOME", "")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is ignored
        return Path(xdg) / "sapkcheck" / "profile.toml"
    home = environ.get("HOME", "")
    if not home:
        try:
            home = str(Path.home())
        except RuntimeError:
            return None
    return Path(home) / ".config" / "sapkcheck" / "profile.toml"


def find_profile(option: Path | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The profile file to use: ``option`` (``--profile`` or ``SAPKCHECK_PROFILE``, already
    merged by the CLI), else the per-user profile when it exists, else None (built in)."""
    if option is not None:
        return option
    user = user_profile_path(environ)
    return user if user is not None and user.is_file() else None


def load_profile(path: Path | None = None) -> Profile:
    """Load and validate the profile at ``path``; None gives the built-in Sumbawa profile.

    Raises ProfileError on any problem (see its docstring).
    """
    if path is None:
        return _default_profile()
    try:
        # Never more than the cap: --profile /dev/zero used to read gigabytes.
        with Path(path).open("rb") as stream:
            data = stream.read(MAX_PROFILE_BYTES + 1)
        if len(data) > MAX_PROFILE_BYTES:
            raise ProfileError(FILE_KEY, "too-large", f"more than {MAX_PROFILE_BYTES} bytes")
        text = decode_profile(data)
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(FILE_KEY, "unreadable", type(exc).__name__) from exc
    return parse_profile(text, source=Path(path))


def decode_profile(data: bytes) -> str:
    """A profile file's text: UTF-16 with its BOM (what PowerShell and Notepad write), else
    UTF-8 with or without a BOM. UnicodeDecodeError if it is neither."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def parse_profile(text: str, source: Path | None = None) -> Profile:
    """Validate profile TOML given as text (see ``load_profile``)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(FILE_KEY, "syntax", str(exc)) from exc
    except RecursionError as exc:  # arrays nested thousands deep: tomllib recurses
        raise ProfileError(FILE_KEY, "too-deep", f"over {MAX_PROFILE_DEPTH} levels") from exc
    if _depth(data) > MAX_PROFILE_DEPTH:
        raise ProfileError(FILE_KEY, "too-deep", f"over {MAX_PROFILE_DEPTH} levels")
    return _from_mapping(data, source)


def _depth(value: object, level: int = 0) -> int:
    """How deep tables and arrays nest (stops counting past the cap)."""
    if level > MAX_PROFILE_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


@cache
def _default_profile() -> Profile:
    return parse_profile(read_data("data", "profile_sumbawa.toml"))


def _from_mapping(data: dict[str, Any], source: Path | None) -> Profile:
    for key in data:
        if key not in _TOP_KEYS:
            raise ProfileError(key, "unknown")
    values = {key: _string(data, key, key) for key in _STRING_KEYS}
    portal = _string(data, "portal", "portal") if "portal" in data else DEFAULT_PORTAL
    if portal not in load_portals():
        raise ProfileError("portal", "value", portal)
    if "password_policy" in data:
        policy = _string(data, "password_policy", "password_policy")
        if policy not in POLICIES:
            raise ProfileError("password_policy", "value", policy)
    else:
        policy = get_portal(portal).policy_name
    return Profile(
        region_name=values["region_name"],
        agency=values["agency"],
        self_update_url=_url(values["self_update_url"], "self_update_url"),
        admin_app_url=_url(values["admin_app_url"], "admin_app_url"),
        password_policy=policy,
        helpdesk=_helpdesk(data),
        source=source,
        portal=portal,
        email_domains=_domain_list(data),
    )


def _host(url: str) -> str:
    """The host of a URL written with or without a scheme, lower-cased."""
    rest = url.partition("://")[2] or url
    host = rest.split("/", 1)[0].split("?", 1)[0].rpartition("@")[2].split(":", 1)[0]
    return host.lower().strip(".")


def _domain_list(data: dict[str, Any]) -> tuple[str, ...]:
    if "email_domains" not in data:
        return ()
    raw = data["email_domains"]
    if not isinstance(raw, list):
        raise ProfileError("email_domains", "type", type(raw).__name__)
    domains: list[str] = []
    for index, item in enumerate(raw):
        where = f"email_domains[{index}]"
        if not isinstance(item, str):
            raise ProfileError(where, "type", type(item).__name__)
        value = item.strip().lower().lstrip("@")
        if not value or any(ch.isspace() or ch == "@" for ch in value) or "." not in value:
            raise ProfileError(where, "value", "not a domain")
        domains.append(value)
    return tuple(domains)


def _string(table: dict[str, Any], key: str, path: str) -> str:
    if key not in table:
        raise ProfileError(path, "missing")
    value = table[key]
    if not isinstance(value, str):
        raise ProfileError(path, "type", type(value).__name__)
    value = value.strip()
    if not value:
        raise ProfileError(path, "value", "empty")
    return value


def _url(value: str, key: str) -> str:
    if any(ch.isspace() for ch in value):
        raise ProfileError(key, "value", "whitespace in URL")
    return value


def _helpdesk(data: dict[str, Any]) -> tuple[HelpdeskContact, ...]:
    if "helpdesk" not in data:
        raise ProfileError("helpdesk", "missing")
    raw = data["helpdesk"]
    if not isinstance(raw, list):
        raise ProfileError("helpdesk", "type", type(raw).__name__)
    if not raw:
        raise ProfileError("helpdesk", "value", "empty")
    contacts: list[HelpdeskContact] = []
    for index, item in enumerate(raw):
        where = f"helpdesk[{index}]"
        if not isinstance(item, dict):
            raise ProfileError(where, "type", type(item).__name__)
        for key in item:
            if key not in _HELPDESK_KEYS and key not in _HELPDESK_OPTIONAL:
                raise ProfileError(f"{where}.{key}", "unknown")
        name, contact = (_string(item, key, f"{where}.{key}") for key in _HELPDESK_KEYS)
        role = _string(item, "role", f"{where}.role") if "role" in item else ""
        if role and role not in HELPDESK_ROLES:
            raise ProfileError(f"{where}.role", "value", role)
        contacts.append(HelpdeskContact(name=name, contact=contact, role=role))
    return tuple(contacts)


PROFILE_TEMPLATE: Final = """\
# sapkcheck region profile / profil daerah
#
# Put in your region's values. Saved as the per-user profile (sapkcheck profile --init), it
# is used automatically; elsewhere pass it with --profile FILE or SAPKCHECK_PROFILE.
# Isi dengan data daerah Anda. Jika disimpan sebagai profil pengguna (sapkcheck profile
# --init), profil ini dipakai otomatis; di tempat lain pakai --profile FILE atau
# SAPKCHECK_PROFILE.
# Keys without "(optional)" are required; unknown keys are refused.
# Kunci tanpa "(opsional)" wajib diisi; kunci lain akan ditolak.
# Text is UTF-8 (UTF-16 with BOM is read too), strings in double quotes.
# Teks UTF-8 (UTF-16 dengan BOM juga terbaca), isian di antara tanda kutip.

# Name of the regency or city, as shown to users.
# Nama kabupaten/kota, mis. "Kabupaten Sumbawa".
region_name = "Kabupaten Contoh"

# The regional personnel office that updates staff data in SIASN.
# Instansi kepegawaian daerah (BKPSDM/BKPP/BKD), mis. "BKPP Kabupaten Sumbawa".
agency = "BKPSDM Kabupaten Contoh"

# Where an employee updates their own data (email, phone) - the self-update module.
# Alamat modul pemutakhiran/update data mandiri pegawai,
# mis. "bkpp.sumbawakab.go.id/ip-pegawai". No spaces / tanpa spasi.
self_update_url = "kepegawaian.contohkab.example/ip-pegawai"

# Where the admin of a work unit (unit kerja) changes an employee's email.
# Alamat aplikasi admin unit kerja, mis. "bkpp.sumbawakab.go.id/ip-asn".
admin_app_url = "kepegawaian.contohkab.example/ip-asn"

# (optional) The BKN portal your staff use; remedies name its menus. One of:
# (opsional) Portal BKN yang dipakai pegawai; langkah perbaikan mengikuti menunya:
#   "asn-digital" - ASN Digital (2025-, the default / bawaan): asndigital.bkn.go.id, MFA
#   "myasn"       - MyASN (2024)
#   "mysapk"      - MySAPK (2019-2021), as in the 2021 FAQ / seperti FAQ 2021
portal = "asn-digital"

# (optional) Your staff's mail domains, for the hints on mistyped domains; the domains of the
# two addresses above count too.
# (opsional) Domain email pegawai daerah Anda, untuk petunjuk salah ketik domain; domain dari
# dua alamat di atas ikut dipakai.
# email_domains = ["contohkab.go.id"]

# (optional) Password rules, when they differ from the portal's. One of:
# (opsional) Aturan password, jika berbeda dari aturan portal. Pilih salah satu:
#   "mysapk"      - min. 6 characters, 1 capital letter, 1 digit
#   "myasn"       - min. 8 characters, letters and digits
#   "asn-digital" - min. 12, upper + lower case, digit, symbol, MFA
# password_policy = "asn-digital"

# Helpdesk contacts, one [[helpdesk]] block each (at least one).
# Kontak helpdesk, satu blok [[helpdesk]] per kontak (minimal satu).
#   name    - person or desk, shown to users / nama petugas atau layanan
#   contact - email, phone/WhatsApp number or URL / email, nomor HP/WA, atau alamat web
[[helpdesk]]
name = "Helpdesk BKPSDM Kabupaten Contoh"
contact = "helpdesk@contohkab.example"
"""
"""A commented, loadable profile for a made-up region: edit the values and save as .toml."""
