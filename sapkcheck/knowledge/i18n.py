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
import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from typing import Any, Final, Literal, NamedTuple

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


_PLACEHOLDER: Final = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def fill(template: str, *layers: Mapping[str, Any]) -> str:
    """Replace each ``{name}`` with its value from the first layer that has it.

    An unknown name stays visible as typed (a missing value must not crash a report), and
    any other brace is plain text: FAQ steps and catalog sentences are data, not format
    strings. The one placeholder filler for catalogs and the FAQ alike.
    """
    if "{" not in template:
        return template

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        for layer in layers:
            if name in layer:
                return str(layer[name])
        return match.group(0)

    return _PLACEHOLDER.sub(value, template)


def placeholders(template: str) -> set[str]:
    """The ``{name}`` placeholders of ``template``."""
    return set(_PLACEHOLDER.findall(template))


class CodeText(NamedTuple):
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
        self._help: Mapping[str, Any] | None = None
        self._char_table: Mapping[str, Any] | None = None
        self._code_texts: dict[str, CodeText] = {}

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

    def _help_texts(self) -> Mapping[str, Any]:
        """``help.toml``: read only when --help is shown."""
        if self._help is None:
            self._help = _load(self.lang, "help")
        return self._help

    def help(self, key: str) -> str:
        """A sentence of the help screens (``[help]`` in help.toml)."""
        value: str = self._help_texts()["help"][key]
        return value

    def command_help(self, command: str) -> str | None:
        """What ``command`` does (``sapkcheck`` for the program itself)."""
        commands: Mapping[str, str] = self._help_texts()["commands"]
        return commands.get(command)

    def option_help(self, command: str, param: str) -> str | None:
        """The help of ``command``'s parameter ``param`` (its Python name), falling back
        to the options every command shares."""
        options: Mapping[str, Mapping[str, str]] = self._help_texts()["options"]
        own = options.get(command, {})
        return own.get(param, options["common"].get(param))

    def number(self, value: float, decimals: int = 0) -> str:
        """A count or measure as this language writes it: 1.234 and 12,5 in Indonesian,
        1,234 and 12.5 in English (the separators are catalog data)."""
        plain = f"{value:,.{decimals}f}"
        marks = {ord(","): self._ui["number-thousands"], ord("."): self._ui["number-decimal"]}
        return plain.translate(marks)

    def percent(self, value: float, decimals: int = 0) -> str:
        """A percentage as this language writes it: "12,5 %" in Indonesian, "12.5%" in English."""
        return self.ui("number-percent", value=self.number(value, decimals))

    def has_ui(self, key: str) -> bool:
        return key in self._ui

    @property
    def ui_keys(self) -> frozenset[str]:
        return frozenset(self._ui)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self._codes)

    def code(self, code: str) -> CodeText:
        text = self._code_texts.get(code)
        if text is None:  # once per code: a batch phrases the same codes row after row
            entry = self._family(code.split("-", 1)[0])[code]
            text = self._code_texts[code] = CodeText(
                title=entry["title"],
                why=entry["why"],
                message=entry["message"],
                remedy=entry["remedy"],
                details=entry.get("details", {}),
            )
        return text

    def message(self, finding: Finding, context: Mapping[str, Any] | None = None) -> str:
        text = self.code(finding.code)
        template = (
            text.details.get(finding.detail, text.message) if finding.detail else text.message
        )
        return fill(template, finding.params, self._named(template, finding), context or {})

    def remedy(self, finding: Finding, context: Mapping[str, Any] | None = None) -> str | None:
        template = self.code(finding.code).remedy
        if not template:
            return None
        return fill(template, finding.params, self._named(template, finding), context or {})

    def _named(self, template: str, finding: Finding) -> Mapping[str, str]:
        """Names of things a finding refers to by id, in this language: ``{title}`` of
        the FAQ ``entry`` (checks carry the id; the title is prose), ``{names}`` of the
        characters in ``codepoints``."""
        named: dict[str, str] = {}
        entry = finding.params.get("entry")
        if "{title}" in template and isinstance(entry, str):
            from sapkcheck.knowledge.faq import get_entry

            named["title"] = get_entry(entry).text(self.lang).title
        points = finding.params.get("codepoints")
        if "{names}" in template and isinstance(points, str):
            named["names"] = self.char_names(points)
        return named

    def _chars(self) -> Mapping[str, Any]:
        """``chars.toml``: read only when a finding names a character."""
        if self._char_table is None:
            self._char_table = _load(self.lang, "chars")
        return self._char_table

    def char_names(self, points: str) -> str:
        """``U+0020 U+00A0 …`` (as ``checks.chars.codepoints`` writes it) named in this
        language: the catalog's table, then look-alike letters by script, then Unicode's
        own name; each with its code point."""
        table = self._chars()
        names = []
        for point in points.split():
            if point == "…":
                names.append(table["format"]["more"])
                continue
            try:
                ch = chr(int(point.removeprefix("U+"), 16))
            except (ValueError, OverflowError):
                names.append(point)
                continue
            name = self._char_name(ch)
            if name.endswith(")"):  # "spasi tak terlihat (zero-width space, U+200B)"
                label = fill(
                    table["format"]["label-inside"], {"name": name[:-1], "codepoint": point}
                )
            else:
                label = fill(table["format"]["label"], {"name": name, "codepoint": point})
            names.append(label)
        return ", ".join(names)

    def _char_name(self, ch: str) -> str:
        from sapkcheck.checks.chars import ascii_lookalike, codepoint, unicode_name

        table = self._chars()
        own: str | None = table["chars"].get(codepoint(ch))
        if own is not None:
            return own
        name = unicode_name(ch)
        digit = unicodedata.decimal(ch, None)
        if digit is not None and not ch.isascii() and " DIGIT " in name:
            script = table["scripts"].get(name.rpartition(" DIGIT ")[0])
            if script is not None:
                return fill(table["format"]["digit"], {"script": script, "digit": digit})
        ascii_char = ascii_lookalike(ch) if not ch.isascii() else None
        if ascii_char is not None:
            if name.startswith(("FULLWIDTH ", "HALFWIDTH ")):
                return fill(table["format"]["fullwidth"], {"ascii": ascii_char})
            script = table["scripts"].get(name.partition(" ")[0])
            if script is not None:
                return fill(table["format"]["lookalike"], {"script": script, "ascii": ascii_char})
        return name or "?"


@cache
def catalog(lang: Lang) -> Catalog:
    return Catalog(lang)
