"""Suggest corrections for a mistyped email domain (``gmial.com``, ``yahoo.co.od``, ``x.gov.id``).

Pure and data-driven: every domain name lives in ``sapkcheck/data/email_domains.toml``, read
lazily on the first call. A suggestion is a hint for the caller to show, never a silent fix.

How a domain is judged (after canonicalising case, full-width forms, invisible characters and
stray dots):

1. A known domain (a provider, another real mail domain, a known agency) is fine.
2. A domain close to a provider (one edit in the name, none for names of four letters or
   fewer; one in the ending; missing dots cheap) gets that provider, unless another real mail
   domain is closer or the ending is another country's (yahoo.co.il). For a name
   under an Indonesian family (``co.id``, ``go.id``, ...) only the name may differ and only
   from a provider under the same family (``yaho.co.id``); ``gmail.co.id``-style endings on a
   distinctive provider name are fixed as a last resort.
3. A government name one slip away (``[government_typos]`` in the data file, and the region
   profile's own domains, passed in by the caller as ``local``): one edit in a known go.id
   name (``kemenkue.go.id``) or a profile domain (``sumbawakap.go.id``), or that name under a
   slip ending (``kemenkeu.co.id``, ``belajar.co.id``). Short names are never targets, and a
   real name is never turned into another (the data file lists real neighbours).
4. Any other name under a family is fine: agency, school and university names are not
   guessed.
5. Otherwise a broken family ending is fixed and the name kept (``x.go.ud`` -> ``x.go.id``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import OSA

from sapkcheck.checks.chars import blank_edges, is_blank, is_invisible

__all__ = ["MAX_DOMAIN_LENGTH", "suggest_domains"]

MAX_DOMAIN_LENGTH = 253
"""Longer input is not a domain (RFC 1035); it gets no suggestion."""

MAX_SUGGESTIONS = 3

# Costs are counted in half edits so that they stay integers.
_EDIT = 2
_DOT = 1  # a missing or extra dot: "gmailcom", "yahoocoid", "x.goid"
_MAX_ENDING_COST = _EDIT  # at most one edit in the part after the name
_MAX_TOTAL_COST = 2 * _EDIT  # two edits in all: gmial.con
_FAMILY_FIX_COST = _DOT  # a wrong ending listed in the data file
_MAX_WRONG_ENDING = 10  # longest ending replaced after a distinctive name ("co.id.com")

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_DOT_RUN = re.compile(r"\.{2,}")
_DOT_LIKE = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": ".", ",": "."})


def _name_edits(name: str) -> int:
    """Edits allowed in a provider's name: none for short ones (aol, gmx, mail, live).

    One for the others: two would turn real names into providers (hockeymail -> rocketmail).
    """
    return 0 if len(name) <= 4 else 1


@dataclass(frozen=True, slots=True)
class _Target:
    domain: str
    name: str  # before the first dot: "yahoo"
    ending: str  # after it: "co.id"
    flat: str  # without dots: "yahoocoid"
    name_edits: int
    rank: int  # position in the data file: earlier wins ties


@dataclass(frozen=True, slots=True)
class _Data:
    providers: tuple[_Target, ...]
    others: tuple[_Target, ...]
    distinctive: frozenset[str]
    country_codes: frozenset[str]
    known: frozenset[str]
    known_names: tuple[str, ...]
    families: tuple[str, ...]
    family_rank: Mapping[str, int]
    foreign: tuple[str, ...]
    fixes: tuple[tuple[str, tuple[str, ...]], ...]
    fixes_known_names: tuple[tuple[str, tuple[str, ...]], ...]
    government: tuple[str, ...]  # go.id names and second-level targets of step 3
    min_government_name: int
    common_words: frozenset[str]
    slip_endings: Mapping[str, tuple[str, ...]]


def _target(domain: str, rank: int) -> _Target:
    name, _, ending = domain.partition(".")
    return _Target(
        domain=domain,
        name=name,
        ending=ending,
        flat=domain.replace(".", ""),
        name_edits=_name_edits(name),
        rank=rank,
    )


def _strings(table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    values = table[key]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"email_domains.toml: {key} must be a list of strings")
    return tuple(values)


def _words(table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = table[key]
    if not isinstance(value, str):
        raise ValueError(f"email_domains.toml: {key} must be a string of words")
    return tuple(value.split())


def _fix_table(table: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((wrong, _strings(table, wrong)) for wrong in table)


@functools.cache
def _data() -> _Data:
    from sapkcheck.knowledge.data import read_toml  # only needed once an email is checked

    raw = read_toml("data", "email_domains.toml")
    providers = _strings(raw["providers"], "domains")
    others = _strings(raw["other_domains"], "domains")
    known_names = _strings(raw["known_names"], "domains")
    families = _strings(raw["families"], "suffixes")
    government = raw["government_typos"]
    min_name = government["min_name_length"]
    if not isinstance(min_name, int):
        raise ValueError("email_domains.toml: min_name_length must be an integer")
    return _Data(
        providers=tuple(_target(d, i) for i, d in enumerate(providers)),
        others=tuple(_target(d, i) for i, d in enumerate(others)),
        distinctive=frozenset(_strings(raw["providers"], "distinctive_names")),
        country_codes=frozenset(_words(raw["country_codes"], "codes")),
        known=frozenset(providers) | frozenset(others) | frozenset(known_names),
        known_names=known_names,
        families=families,
        family_rank={f: i for i, f in enumerate(families)},
        foreign=_strings(raw["families"], "foreign_suffixes"),
        fixes=_fix_table(raw["suffix_fixes"]),
        fixes_known_names=_fix_table(raw["suffix_fixes_known_names"]),
        government=tuple(d for d in known_names if d.endswith(".go.id"))
        + _strings(government, "second_level"),
        min_government_name=min_name,
        common_words=frozenset(_strings(government, "common_words")),
        slip_endings=dict(_fix_table(government["slip_endings"])),
    )


# --- canonical form ---------------------------------------------------------------------


def load_tables() -> None:
    """Read the domain tables now (they are read on first use)."""
    _data()


def _visible(domain: str) -> str:
    """What the user sees, lower-cased: surrounding blanks and invisible characters dropped.

    Those are reported by the caller's whitespace/unsafe-character checks; a suggestion
    that differs from the input only by them would look identical to it.
    """
    start, end = blank_edges(domain)
    inner = domain[start:end]
    return "".join(c for c in inner if not is_invisible(c)).lower()


def _canonical(domain: str) -> str:
    """Lower-case, full-width folded (NFKC), blanks and invisibles removed, dots tidied."""
    text = unicodedata.normalize("NFKC", domain)
    text = "".join(c for c in text if not is_blank(c)).lower().translate(_DOT_LIKE)
    return _DOT_RUN.sub(".", text).strip(".")


def _is_hostname(text: str) -> bool:
    return bool(text) and all(_LABEL.fullmatch(label) for label in text.split("."))


def _family_of(domain: str, data: _Data) -> str | None:
    """The family a domain legitimately belongs to (``x.go.id`` -> ``go.id``), if any."""
    for family in data.families:
        if domain.endswith("." + family) and _is_hostname(domain[: -len(family) - 1]):
            return family
    return None


def _foreign_country(domain: str, data: _Data) -> str | None:
    """The country code ending ``domain`` when it is not Indonesia's."""
    last = domain.rpartition(".")[2]
    return last if last != "id" and last in data.country_codes else None


def _is_foreign(domain: str, data: _Data) -> bool:
    return any(domain.endswith("." + suffix) for suffix in data.foreign)


# --- distances --------------------------------------------------------------------------


def _osa(a: str, b: str, cutoff: int) -> int:
    """Optimal string alignment distance (one adjacent swap counts as one edit)."""
    return int(OSA.distance(a, b, score_cutoff=cutoff))


def _ending_cost(typed: str, ending: str) -> int:
    """Cost of ``typed`` as a slip for the ending ``ending`` ("co" for "com" or "co.id")."""
    if typed == ending:
        return 0
    cost = _EDIT * _osa(typed, ending, cutoff=2)
    if typed.replace(".", "") == ending.replace(".", ""):
        cost = min(cost, _DOT)
    if ending.startswith(typed + ".") or ending.endswith("." + typed) or typed == ending + ".id":
        # one label of the ending left off (yahoo.co, yahoo.id) or ".id" added (gmail.com.id)
        cost = min(cost, _EDIT)
    return cost


def _provider_cost(domain: str, target: _Target, *, bare_name_ok: bool) -> int | None:
    """Cost of ``domain`` as a typo of ``target``, or None when it is not close enough.

    The domain is split at every point where its head could be the target's name (with the
    name's edit allowance); the rest must be the target's ending within one edit.
    """
    flat = domain.replace(".", "")
    if abs(len(flat) - len(target.flat)) > target.name_edits + 3:
        return None
    if flat == target.flat:
        return _DOT  # only the dots are off: gmailcom, mai.lcom, yahoocoid
    best: int | None = None
    allowed = target.name_edits
    low = max(1, len(target.name) - allowed)
    high = min(len(domain), len(target.name) + allowed)
    for split in range(low, high + 1):
        name_edits = _osa(domain[:split], target.name, cutoff=allowed)
        if name_edits > allowed:
            continue
        rest = domain[split:]
        if not rest:
            if not bare_name_ok:
                continue
            ending_cost = _EDIT  # "gmail" for gmail.com
        elif rest[0] == ".":
            ending_cost = _ending_cost(rest[1:], target.ending)
        else:
            ending_cost = _DOT + _ending_cost(rest, target.ending)
        if ending_cost > _MAX_ENDING_COST:
            continue
        cost = _EDIT * name_edits + ending_cost
        if cost <= _MAX_TOTAL_COST and (best is None or cost < best):
            best = cost
    return best


Candidate = tuple[int, int, str]  # (cost, rank, domain): lower sorts first


def _best(candidates: Iterable[Candidate]) -> tuple[str, ...]:
    ordered = sorted(candidates)
    if not ordered:
        return ()
    lowest = ordered[0][0]
    result: list[str] = []
    for cost, _, domain in ordered:
        if cost == lowest and domain not in result:
            result.append(domain)
    return tuple(result[:MAX_SUGGESTIONS])


# --- the three kinds of suggestion ------------------------------------------------------


def _provider_candidates(domain: str, family: str | None, data: _Data) -> list[Candidate] | None:
    """Providers close to ``domain``; None when another real mail domain is closer."""
    if family is not None:
        # A name under a family: only a provider under the same family, name slip only.
        name = domain[: -len(family) - 1]
        found: list[Candidate] = []
        for target in data.providers:
            if target.ending == family:
                edits = _osa(name, target.name, cutoff=target.name_edits)
                if 0 < edits <= target.name_edits:
                    found.append((_EDIT * edits, target.rank, target.domain))
        return found

    # yahoo.co.il and outlook.com.vn are real: an ending in another country stays there.
    country = _foreign_country(domain, data) if domain.count(".") >= 2 else None
    providers: list[Candidate] = []
    for target in data.providers:
        if country is not None and not target.domain.endswith("." + country):
            continue
        bare_ok = target.name in data.distinctive
        cost = _provider_cost(domain, target, bare_name_ok=bare_ok)
        if cost is not None:
            providers.append((cost, target.rank, target.domain))
    closest_other = min(
        (
            cost
            for target in data.others
            if (cost := _provider_cost(domain, target, bare_name_ok=False)) is not None
        ),
        default=None,
    )
    if closest_other is not None and (not providers or closest_other < min(providers)[0]):
        return None  # a real mail domain is closer: yahoo.co.jq is left alone
    return providers


def _distinctive_candidates(domain: str, data: _Data) -> list[Candidate]:
    """``gmail.co.id`` -> gmail.com: a distinctive provider name with any other ending."""
    name, _, rest = domain.partition(".")
    if name not in data.distinctive or not 0 < len(rest) <= _MAX_WRONG_ENDING:
        return []
    if _foreign_country(domain, data):
        return []  # yahoo.ro, hotmail.kz: the provider's own country domains
    return [
        (_EDIT * _osa(rest, t.ending, cutoff=len(rest) + len(t.ending)), t.rank, t.domain)
        for t in data.providers
        if t.name == name
    ]


def _ending_candidates(domain: str, data: _Data) -> list[Candidate]:
    """Fix a broken family ending, keeping the name: ``x.go.ud`` -> ``x.go.id``."""
    found: list[Candidate] = []

    def add(prefix: str, family: str, cost: int) -> None:
        if _is_hostname(prefix):
            found.append((cost, data.family_rank[family], prefix + "." + family))

    for wrong, families in data.fixes:
        if domain.endswith("." + wrong):
            for family in families:
                add(domain[: -len(wrong) - 1], family, _FAMILY_FIX_COST)
    for wrong, families in data.fixes_known_names:
        if domain.endswith("." + wrong):
            prefix = domain[: -len(wrong) - 1]
            for family in families:
                fixed = prefix + "." + family
                if any(fixed == k or fixed.endswith("." + k) for k in data.known_names):
                    add(prefix, family, _FAMILY_FIX_COST)

    labels = domain.split(".")
    for family in data.families:
        size = family.count(".") + 1
        flat_family = family.replace(".", "")
        for tail_size in (size - 1, size, size + 1):
            if not 1 <= tail_size < len(labels):
                continue
            tail = ".".join(labels[-tail_size:])
            if tail == family:
                continue
            if tail.replace(".", "") == flat_family:
                cost = _DOT
            else:
                cost = _EDIT * _osa(tail, family, cutoff=1)
            if cost <= _EDIT:
                add(".".join(labels[:-tail_size]), family, cost)
    return found


def _registrable(domain: str, data: _Data) -> str:
    """The name and family of a domain (``bkpp.sumbawakab.go.id`` -> ``sumbawakab.go.id``);
    outside the families the last two labels (``contohkab.example``)."""
    family = _family_of(domain, data)
    if family is not None:
        label = domain[: -len(family) - 1].rpartition(".")[2]
        return f"{label}.{family}"
    return ".".join(domain.split(".")[-2:])


def _government_candidates(
    domain: str, family: str, local: frozenset[str], data: _Data
) -> list[Candidate]:
    """Step 3: a slip in a known government name or a profile domain, or the right name under
    a slip ending. ``domain`` is under ``family``; sub-domains before the name are kept."""
    prefix, _, label = domain[: -len(family) - 1].rpartition(".")
    if f"{label}.{family}" in data.known or f"{label}.{family}" in local:
        return []
    lead = prefix + "." if prefix else ""
    found: list[Candidate] = []
    for rank, target in enumerate((*sorted(local), *data.government)):
        name, _, ending = target.partition(".")
        if len(name) < data.min_government_name:
            continue
        if ending == family:
            if _osa(label, name, cutoff=1) == 1:
                found.append((_EDIT, rank, lead + target))
        elif (
            label == name
            and family in data.slip_endings.get(ending, ())
            and (target in local or name not in data.common_words)
        ):
            found.append((_EDIT, rank, lead + target))
    return found


def _suggest(domain: str, data: _Data, local: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Suggestions for a canonical domain; ``(domain,)`` when it is fine as it is.
    ``local``: the profile's domains, canonical and reduced by ``_registrable``."""
    if domain in data.known or domain in local:
        return (domain,)
    family = _family_of(domain, data)
    found = _provider_candidates(domain, family, data)
    if found is None:
        return ()
    if not found:
        found = _distinctive_candidates(domain, data)
    if not found and family is not None:
        found = _government_candidates(domain, family, local, data)
    if found:
        return _best(found)
    if family is not None or (_is_foreign(domain, data) and _is_hostname(domain)):
        return (domain,)  # its folded form, a suggestion when typed full-width
    return _best(_ending_candidates(domain, data))


def suggest_domains(domain: str, local: Iterable[str] = ()) -> tuple[str, ...]:
    """Candidate corrections for an email domain, best first; () when the domain looks
    legitimate or nothing is close.

    Input: the domain part as typed (may have capitals; compare lower-cased, IDNA/unicode
    input must not crash); ``local``: the region profile's domains or hosts (region,
    agencies: ``bkpp.sumbawakab.go.id``), given by the caller. Output: lower-case ASCII
    domains, never the input itself.
    """
    if len(domain) > MAX_DOMAIN_LENGTH:
        return ()
    canonical = _canonical(domain)
    if not canonical or len(canonical) > MAX_DOMAIN_LENGTH:
        return ()
    data = _data()
    own = frozenset(
        _registrable(host, data)
        for host in map(_canonical, local)
        if len(host) <= MAX_DOMAIN_LENGTH and _is_hostname(host)
    )
    unchanged = {domain, domain.lower(), _visible(domain)}
    return tuple(s for s in _suggest(canonical, data, own) if s not in unchanged)
