"""Message catalogs: every user-facing sentence, in Indonesian (default) and English.

Catalogs are TOML files in ``sapkcheck/catalog/`` with two tables:

- ``[ui]``: labels and sentences of the interface, ``{placeholder}`` style;
- ``[codes.<code>]``: per finding code ``title`` (what it means), ``why`` (why it
  matters), ``message`` (the finding, with parameters), ``remedy`` (what to do) and
  optional ``[codes.<code>.details]`` variants of ``message`` chosen by
  ``Finding.detail``.

The language comes from ``--lang`` or ``SAPKCHECK_LANG``, never from ``LANG``.
"""

from __future__ import annotations

import os
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from sapkcheck.findings import Finding

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "id"
LANG_ENV = "SAPKCHECK_LANG"


class UnknownLanguage(ValueError):
    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def resolve_lang(option: str | None) -> Lang:
    """``--lang`` wins over ``SAPKCHECK_LANG``; Indonesian otherwise."""
    value = option if option is not None else os.environ.get(LANG_ENV, "")
    value = value.strip().lower()
    if not value:
        return DEFAULT_LANG
    for lang in LANGS:
        if value == lang:
            return lang
    raise UnknownLanguage(value)


class _Keep(dict[str, Any]):
    """Leaves an unknown placeholder visible instead of crashing on it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: Mapping[str, Any]) -> str:
    return string.Formatter().vformat(template, (), _Keep(params))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class CodeText:
    title: str
    why: str
    message: str
    remedy: str
    details: Mapping[str, str]


class Catalog:
    def __init__(self, lang: Lang, data: Mapping[str, Any]) -> None:
        self.lang = lang
        self._ui: Mapping[str, str] = data.get("ui", {})
        self._codes: Mapping[str, Mapping[str, Any]] = data.get("codes", {})

    def ui(self, key: str, **params: Any) -> str:
        return fill(self._ui[key], params)

    def has_ui(self, key: str) -> bool:
        return key in self._ui

    @property
    def ui_keys(self) -> frozenset[str]:
        return frozenset(self._ui)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self._codes)

    def code(self, code: str) -> CodeText:
        entry = self._codes[code]
        return CodeText(
            title=entry["title"],
            why=entry["why"],
            message=entry["message"],
            remedy=entry["remedy"],
            details=entry.get("details", {}),
        )

    def message(self, finding: Finding, context: Mapping[str, Any] | None = None) -> str:
        text = self.code(finding.code)
        template = (
            text.details.get(finding.detail, text.message) if finding.detail else text.message
        )
        return fill(template, {**(context or {}), **finding.params})

    def remedy(self, finding: Finding, context: Mapping[str, Any] | None = None) -> str | None:
        template = self.code(finding.code).remedy
        return fill(template, {**(context or {}), **finding.params}) if template else None


@cache
def catalog(lang: Lang) -> Catalog:
    source = resources.files("sapkcheck") / "catalog" / f"{lang}.toml"
    return Catalog(lang, tomllib.loads(source.read_text(encoding="utf-8")))
