"""The FAQ knowledge base (``data/faq.toml``): typed loader and fuzzy search.

Entries are bilingual (``id`` Indonesian, ``en`` English). Steps and link URLs may hold
``{placeholders}`` for region-specific values; ``FaqEntry.text`` fills them from a mapping
such as ``Profile.placeholders(lang)``. ``search`` ranks entries for a message the user
pasted (any case, typos, partial text), matching titles and symptoms of both languages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Final

from sapkcheck.checks.chars import is_invisible
from sapkcheck.knowledge.data import read_toml
from sapkcheck.knowledge.i18n import LANGS, Lang, fill, placeholders
from sapkcheck.knowledge.portals import Source, load_portals, parse_sources


class FaqDataError(ValueError):
    """``faq.toml`` is malformed (a packaging bug, not a user error)."""


@dataclass(frozen=True, slots=True)
class FaqLink:
    """A link shared by both languages, with a label per language (the URL if none)."""

    url: str
    label_id: str
    label_en: str

    def label(self, lang: Lang) -> str:
        _check_lang(lang)
        return self.label_id if lang == "id" else self.label_en


@dataclass(frozen=True, slots=True)
class FaqText:
    """An entry's text in one language. ``links`` are (url, label) pairs."""

    title: str
    symptoms: tuple[str, ...]
    steps: tuple[str, ...]
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class PortalVariant:
    """An entry's text for one portal (``[entries.portals.<portal>]``): its own title and
    steps in each language, and its own links when given (None: the entry's)."""

    portal: str
    title_id: str
    title_en: str
    steps_id: tuple[str, ...]
    steps_en: tuple[str, ...]
    links: tuple[FaqLink, ...] | None


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """One FAQ entry. ``number`` is the seed FAQ's question number, None if not from it.

    ``text_id``/``text_en`` hold the text for any portal (its steps name the portal through
    placeholders); ``variants`` the text written for one portal (the seed's own MySAPK text),
    used when that portal is the one in use. ``sources`` say where the facts come from."""

    id: str
    number: int | None
    codes: tuple[str, ...]
    links: tuple[FaqLink, ...]
    text_id: FaqText
    text_en: FaqText
    sources: tuple[Source, ...] = ()
    variants: tuple[PortalVariant, ...] = ()

    def variant(self, portal: str | None) -> PortalVariant | None:
        return next((v for v in self.variants if v.portal == portal), None)

    def text(
        self, lang: Lang, values: Mapping[str, str] | None = None, portal: str | None = None
    ) -> FaqText:
        """The text in ``lang`` with its links; ``{placeholders}`` filled from ``values``.

        ``portal`` (default: ``values["portal_id"]``) selects the text written for that
        portal when the entry has one. Placeholders missing from ``values`` (or all, if
        ``values`` is None) stay as typed.
        """
        _check_lang(lang)
        if portal is None and values is not None:
            portal = values.get("portal_id")
        base = self.text_id if lang == "id" else self.text_en
        link_list = self.links
        variant = self.variant(portal)
        if variant is not None:
            base = FaqText(
                title=variant.title_id if lang == "id" else variant.title_en,
                symptoms=base.symptoms,
                steps=variant.steps_id if lang == "id" else variant.steps_en,
            )
            link_list = self.links if variant.links is None else variant.links
        links = tuple((link.url, link.label(lang)) for link in link_list)
        text = replace(base, links=links)
        if values is None:
            return text
        return FaqText(
            title=fill(text.title, values),
            symptoms=tuple(fill(s, values) for s in text.symptoms),
            steps=tuple(fill(s, values) for s in text.steps),
            links=tuple((fill(url, values), fill(label, values)) for url, label in links),
        )

    def placeholders(self) -> frozenset[str]:
        """Every placeholder name used anywhere in this entry."""
        names: set[str] = set()
        for text in (self.text_id, self.text_en):
            for part in (text.title, *text.symptoms, *text.steps):
                names.update(placeholders(part))
        for variant in self.variants:
            for part in (variant.title_id, variant.title_en, *variant.steps_id, *variant.steps_en):
                names.update(placeholders(part))
        for link in (*self.links, *(link for v in self.variants for link in v.links or ())):
            for part in (link.url, link.label_id, link.label_en):
                names.update(placeholders(part))
        return frozenset(names)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language: {lang!r}")


# --- loading ---------------------------------------------------------------------------------


@cache
def load_faq() -> tuple[FaqEntry, ...]:
    """All entries in file order (read once, on first use)."""
    data = read_toml("data", "faq.toml")
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        raise FaqDataError("faq.toml: missing [[entries]]")
    entries = tuple(_entry(raw) for raw in raw_entries)
    ids = [entry.id for entry in entries]
    if len(set(ids)) != len(ids):
        raise FaqDataError("faq.toml: duplicate entry id")
    return entries


@cache
def _by_id() -> dict[str, FaqEntry]:
    return {entry.id: entry for entry in load_faq()}


def get_entry(entry_id: str) -> FaqEntry:
    """The entry with this id; KeyError if there is none."""
    return _by_id()[entry_id]


def entries_for_code(code: str) -> tuple[FaqEntry, ...]:
    """Entries that list finding ``code`` in their ``codes`` (usually one; may be none)."""
    return tuple(entry for entry in load_faq() if code in entry.codes)


def all_codes() -> frozenset[str]:
    """Every finding code some entry points to."""
    return frozenset(code for entry in load_faq() for code in entry.codes)


def _entry(raw: Any) -> FaqEntry:
    if not isinstance(raw, dict):
        raise FaqDataError("faq.toml: entry is not a table")
    entry_id = _str(raw, "id", "?")
    number = raw.get("number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise FaqDataError(f"faq.toml: {entry_id}.number is not an integer")
    texts = raw.get("text")
    if not isinstance(texts, dict):
        raise FaqDataError(f"faq.toml: {entry_id}.text missing")
    try:
        sources = parse_sources(raw.get("sources"), f"faq.toml: {entry_id}")
    except ValueError as exc:
        raise FaqDataError(str(exc)) from exc
    return FaqEntry(
        id=entry_id,
        number=number,
        codes=_codes_for(entry_id),
        links=tuple(_link(link, entry_id) for link in _list(raw, "links", entry_id)),
        text_id=_text(texts.get("id"), f"{entry_id}.text.id"),
        text_en=_text(texts.get("en"), f"{entry_id}.text.en"),
        sources=sources,
        variants=_variants(raw.get("portals", {}), entry_id),
    )


def _variants(raw: Any, entry_id: str) -> tuple[PortalVariant, ...]:
    if not isinstance(raw, dict):
        raise FaqDataError(f"faq.toml: {entry_id}.portals is not a table")
    variants = []
    for portal, spec in raw.items():
        where = f"{entry_id}.portals.{portal}"
        if portal not in load_portals():
            raise FaqDataError(f"faq.toml: {where}: unknown portal")
        if not isinstance(spec, dict):
            raise FaqDataError(f"faq.toml: {where} is not a table")
        text_id = _text(spec.get("id"), f"{where}.id")
        text_en = _text(spec.get("en"), f"{where}.en")
        links = spec.get("links")
        variants.append(
            PortalVariant(
                portal=portal,
                title_id=text_id.title,
                title_en=text_en.title,
                steps_id=text_id.steps,
                steps_en=text_en.steps,
                links=None if links is None else tuple(_link(link, where) for link in links),
            )
        )
    return tuple(variants)


def _codes_for(entry_id: str) -> tuple[str, ...]:
    """The codes whose remedy this entry is: from the registry, their one home."""
    from sapkcheck.findings import CODES

    return tuple(code for code, spec in CODES.items() if spec.faq == entry_id)


def _text(raw: Any, where: str) -> FaqText:
    if not isinstance(raw, dict):
        raise FaqDataError(f"faq.toml: {where} missing")
    return FaqText(
        title=_str(raw, "title", where),
        symptoms=_strings(raw, "symptoms", where),
        steps=_strings(raw, "steps", where),
    )


def _link(raw: Any, where: str) -> FaqLink:
    if not isinstance(raw, dict):
        raise FaqDataError(f"faq.toml: {where}.links item is not a table")
    url = _str(raw, "url", where)
    label = raw.get("label", {})
    if not isinstance(label, dict):
        raise FaqDataError(f"faq.toml: {where}.links label is not a table")
    label_id, label_en = label.get("id", url), label.get("en", url)
    if not isinstance(label_id, str) or not isinstance(label_en, str):
        raise FaqDataError(f"faq.toml: {where}.links label is not text")
    return FaqLink(url=url, label_id=label_id, label_en=label_en)


def _str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise FaqDataError(f"faq.toml: {where}.{key} missing or not text")
    return value


def _list(table: dict[str, Any], key: str, where: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise FaqDataError(f"faq.toml: {where}.{key} is not a list")
    return value


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _list(table, key, where)
    if not all(isinstance(value, str) for value in values):
        raise FaqDataError(f"faq.toml: {where}.{key} holds a non-text item")
    return tuple(values)


# --- search ----------------------------------------------------------------------------------

_NON_WORD: Final = re.compile(r"[^\w]+|_+")


_REDUPLICATION: Final = re.compile(r"(?<=[^\W\d_]{3})2\b")  # chat style "masuk2" = "masuk-masuk"
_E_MAIL: Final = re.compile(r"\be-mail\b")
# Chat abbreviations and slang of Indonesian users, word by word.
_ABBREVIATIONS: Final = {
    "tdk": "tidak",
    "tak": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "kagak": "tidak",
    "yg": "yang",
    "blm": "belum",
    "blum": "belum",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "dgn": "dengan",
    "utk": "untuk",
    "krn": "karena",
    "sy": "saya",
    "bs": "bisa",
    "pw": "password",
    "pwd": "password",
    "pass": "password",
    "sandi": "password",
    "cocok": "sesuai",  # the everyday word for the message's "tidak sesuai"
}


def _normalize(text: str) -> str:
    """Compatibility-fold, drop invisible characters, lower-case, punctuation to spaces,
    expand common chat abbreviations ("tdk" -> "tidak")."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not is_invisible(ch)).casefold()
    text = _REDUPLICATION.sub("", _E_MAIL.sub("email", text))
    return " ".join(_ABBREVIATIONS.get(word, word) for word in _NON_WORD.sub(" ", text).split())


@cache
def _haystack() -> tuple[tuple[FaqEntry, tuple[tuple[Lang, str], ...]], ...]:
    """Per entry, the normalized titles and symptoms of both languages."""
    result = []
    for entry in load_faq():
        choices: list[tuple[Lang, str]] = []
        for lang in LANGS:
            text = entry.text_id if lang == "id" else entry.text_en
            titles = (v.title_id if lang == "id" else v.title_en for v in entry.variants)
            for part in (text.title, *titles, *text.symptoms):
                normalized = _normalize(part)
                if normalized and (lang, normalized) not in choices:
                    choices.append((lang, normalized))
        result.append((entry, tuple(choices)))
    return tuple(result)


def _similarity(query: str, choice: str) -> float:
    """0-100: how well ``query`` matches ``choice`` (both normalized).

    A whole-string match (``ratio``, ``token_sort_ratio``) counts in full. A match of one
    string inside the other (``partial_ratio``, ``token_set_ratio``) is discounted by how
    much of the longer string it leaves out, so that "operasi gagal" prefers the symptom
    "Operasi Gagal" over "Operasi gagal, data email ... tidak sesuai", while the long
    message still prefers the long symptom. The discount is steeper when the symptom is the
    shorter string (a paste holding more than a known message) than when the query is.
    """
    from rapidfuzz import fuzz

    whole = max(fuzz.ratio(query, choice), 0.97 * fuzz.token_sort_ratio(query, choice))
    inside = max(fuzz.partial_ratio(query, choice), fuzz.token_set_ratio(query, choice))
    if len(query) <= len(choice):
        # Part of a known message: users often paste only a piece of it.
        factor = 0.8 + 0.2 * len(query) / len(choice)
    else:
        # A known message inside a longer paste: what it leaves unexplained counts more.
        factor = 0.6 + 0.4 * len(choice) / len(query)
    return max(whole, inside * factor)


def search(
    query: str, lang: Lang | None = None, *, limit: int | None = None, min_score: float = 0.0
) -> list[tuple[FaqEntry, float]]:
    """Entries ranked best first for a pasted message, each with a score 0-100.

    Titles and symptoms of both languages are matched; an entry scores its best match.
    Ties go to the entry with the better second match, then to a match in ``lang`` (the
    reader's language; None prefers neither, as recognizing a portal's message should),
    then to file order. An empty query (or only punctuation) gives no results.
    ``limit`` caps the number of results; ``min_score`` drops weaker ones.
    """
    if lang is not None:
        _check_lang(lang)
    normalized = _normalize(query)
    if not normalized:
        return []
    ranked: list[tuple[tuple[float, float, int, int], FaqEntry, float]] = []
    for order, (entry, choices) in enumerate(_haystack()):
        scored = sorted(
            (
                (_similarity(normalized, choice), choice_lang == lang)
                for choice_lang, choice in choices
            ),
            reverse=True,
        )
        best, best_in_lang = scored[0] if scored else (0.0, False)
        second = scored[1][0] if len(scored) > 1 else 0.0
        score = round(best, 2)
        if score < min_score:
            continue
        ranked.append(((-score, -second, -int(best_in_lang), order), entry, score))
    ranked.sort(key=lambda item: item[0])
    results = [(entry, score) for _, entry, score in ranked]
    return results if limit is None else results[:limit]
