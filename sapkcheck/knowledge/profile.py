"""The region profile: every value that differs from one regency/city to the next.

The seed FAQ comes from Kabupaten Sumbawa, which is the built-in default. Another region
writes its own TOML file (start from ``PROFILE_TEMPLATE``) and passes its path to
``load_profile``. Errors carry a key and a problem id only; the CLI words them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

from sapkcheck.knowledge.data import read_data
from sapkcheck.knowledge.policies import POLICIES, PasswordPolicy
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
    "password_policy",
)
_HELPDESK_KEYS: Final = ("name", "contact")
_TOP_KEYS: Final = frozenset((*_STRING_KEYS, "helpdesk"))


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
    """One person or desk to ask: a display name and an email, phone or URL."""

    name: str
    contact: str

    def __str__(self) -> str:
        return f"{self.name} ({self.contact})"


@dataclass(frozen=True, slots=True)
class Profile:
    """Region-specific values. ``source`` is the file it came from, None for the default."""

    region_name: str
    agency: str
    self_update_url: str
    admin_app_url: str
    password_policy: str
    helpdesk: tuple[HelpdeskContact, ...]
    source: Path | None = field(default=None, compare=False)

    @property
    def policy(self) -> PasswordPolicy:
        return POLICIES[self.password_policy]

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
    )
)
"""Every placeholder name a rendered context provides (``Profile.values`` and the password
values ``render.context.profile_context`` adds)."""


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
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(FILE_KEY, "unreadable", type(exc).__name__) from exc
    return parse_profile(text, source=Path(path))


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
    if values["password_policy"] not in POLICIES:
        raise ProfileError("password_policy", "value", values["password_policy"])
    return Profile(
        region_name=values["region_name"],
        agency=values["agency"],
        self_update_url=_url(values["self_update_url"], "self_update_url"),
        admin_app_url=_url(values["admin_app_url"], "admin_app_url"),
        password_policy=values["password_policy"],
        helpdesk=_helpdesk(data),
        source=source,
    )


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
            if key not in _HELPDESK_KEYS:
                raise ProfileError(f"{where}.{key}", "unknown")
        name, contact = (_string(item, key, f"{where}.{key}") for key in _HELPDESK_KEYS)
        contacts.append(HelpdeskContact(name=name, contact=contact))
    return tuple(contacts)


PROFILE_TEMPLATE: Final = """\
# sapkcheck region profile / profil daerah
#
# Copy this file, put in your region's values and pass it with --profile.
# Salin berkas ini, isi dengan data daerah Anda, lalu pakai dengan --profile.
# Every key below is required; unknown keys are refused.
# Semua kunci wajib diisi; kunci lain akan ditolak.
# Text is UTF-8, strings in double quotes. / Teks UTF-8, isian di antara tanda kutip.

# Name of the regency or city, as shown to users.
# Nama kabupaten/kota, mis. "Kabupaten Sumbawa".
region_name = "Kabupaten Contoh"

# The regional personnel office that imports data into SAPK/SIASN.
# Instansi kepegawaian daerah (BKPSDM/BKPP/BKD), mis. "BKPP Kabupaten Sumbawa".
agency = "BKPSDM Kabupaten Contoh"

# Where an employee updates their own data (email, phone) - the self-update module.
# Alamat modul pemutakhiran/update data mandiri pegawai,
# mis. "bkpp.sumbawakab.go.id/ip-pegawai". No spaces / tanpa spasi.
self_update_url = "kepegawaian.contohkab.example/ip-pegawai"

# Where the admin of a work unit (unit kerja) changes an employee's email.
# Alamat aplikasi admin unit kerja, mis. "bkpp.sumbawakab.go.id/ip-asn".
admin_app_url = "kepegawaian.contohkab.example/ip-asn"

# Password rules in force for the BKN app your employees use. One of:
# Aturan password aplikasi BKN yang berlaku. Pilih salah satu:
#   "mysapk"      - MySAPK (2019-2021): min. 6 characters, 1 capital letter, 1 digit
#   "myasn"       - MyASN (2024): min. 8 characters, letters and digits
#   "asn-digital" - ASN Digital (2025): min. 12, upper + lower case, digit, symbol, MFA
password_policy = "mysapk"

# Helpdesk contacts, one [[helpdesk]] block each (at least one).
# Kontak helpdesk, satu blok [[helpdesk]] per kontak (minimal satu).
#   name    - person or desk, shown to users / nama petugas atau layanan
#   contact - email, phone/WhatsApp number or URL / email, nomor HP/WA, atau alamat web
[[helpdesk]]
name = "Helpdesk BKPSDM Kabupaten Contoh"
contact = "helpdesk@contohkab.example"
"""
"""A commented, loadable profile for a made-up region: edit the values and save as .toml."""
