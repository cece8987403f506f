"""Message catalogs: every user-facing sentence, in Indonesian (default) and English.

Catalogs are TOML files in ``sapkcheck/catalog/<lang>/``: ``ui.toml`` holds the
``[ui]`` table (labels and sentences of the interface, ``{placeholder}`` style); one file
per code family (``nip.toml``, ``email.toml``, ...) holds ``[codes.<code>]`` tables with
``title`` (what it means), ``why`` (why it matters), ``message`` (the finding, with
parameters), ``remedy`` (what to do) and optional ``[codes.<code>.details]`` variants of
``message`` chosen by ``Finding.detail``. A family's file is parsed only when one of its
codes is rendered: start-up time matters for a command run once per question.

The language comes from ``--lang`` or ``SAPKCHECK_LANG``, never from ``LANG``.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sapkcheck.findings import Finding
from sapkcheck.knowledge.data import read_toml

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


class _Values(Mapping[str, Any]):
    """Parameters first, then the (lazily loaded) context; an unknown placeholder stays
    visible instead of crashing."""

    def __init__(self, *layers: Mapping[str, Any]) -> None:
        self._layers = layers

    def __getitem__(self, key: str) -> Any:
        for layer in self._layers:
            if key in layer:
                return layer[key]
        return "{" + key + "}"

    def __iter__(self) -> Iterator[str]:
        return iter({key for layer in self._layers for key in layer})

    def __len__(self) -> int:
        return len(set(self))


def fill(template: str, params: Mapping[str, Any], context: Mapping[str, Any] | None = None) -> str:
    if "{" not in template:
        return template
    return string.Formatter().vformat(template, (), _Values(params, context or {}))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class CodeText:
    title: str
    why: str
    message: str
    remedy: str
    details: Mapping[str, str]


CODE_FAMILIES = ("nip", "email", "password", "token", "row", "message")


def _load(lang: Lang, name: str) -> dict[str, Any]:
    return read_toml("catalog", lang, f"{name}.toml")


class Catalog:
    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._ui: Mapping[str, str] = _load(lang, "ui").get("ui", {})
        self._families: dict[str, Mapping[str, Mapping[str, Any]]] = {}

    def _family(self, family: str) -> Mapping[str, Mapping[str, Any]]:
        if family not in self._families:
            self._families[family] = _load(self.lang, family).get("codes", {})
        return self._families[family]

    @property
    def _codes(self) -> Mapping[str, Mapping[str, Any]]:
        return {
            code: entry for family in CODE_FAMILIES for code, entry in self._family(family).items()
        }

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
        entry = self._family(code.split("-", 1)[0])[code]
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
        return fill(template, finding.params, context)

    def remedy(self, finding: Finding, context: Mapping[str, Any] | None = None) -> str | None:
        template = self.code(finding.code).remedy
        return fill(template, finding.params, context) if template else None


@cache
def catalog(lang: Lang) -> Catalog:
    return Catalog(lang)
