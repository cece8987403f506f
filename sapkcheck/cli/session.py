"""The running command's language and debug setting, and the one way to fail with a usage
problem (exit 2, one sentence on stderr)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn

from sapkcheck import errors
from sapkcheck.knowledge.i18n import (
    DEFAULT_LANG,
    LANGS,
    Lang,
    UnknownLanguage,
    catalog,
    resolve_lang,
)
from sapkcheck.render.console import visible_text

if TYPE_CHECKING:
    pass


class Session:
    """What the error handler needs to know about the running command."""

    lang: Lang = DEFAULT_LANG
    debug: bool = False


def fail(key: str, **params: Any) -> NoReturn:
    text = catalog(Session.lang)
    reason = params.get("reason")
    if isinstance(reason, str) and text.has_ui(f"reason-{reason}"):
        # A reason is a key (errors.os_reason, table problems); its words are the catalog's.
        params["reason"] = text.ui(f"reason-{reason}", **params)
    elif isinstance(reason, str) and text.has_ui(f"write-reason-{reason}"):
        params["reason"] = text.ui(f"write-reason-{reason}")  # why a write failed, worded
    params = {
        name: visible_text(value) if isinstance(value, str) else value
        for name, value in params.items()
    }
    say(f"sapkcheck: {text.ui('error-prefix')}: {text.ui(key, **params)}")
    sys.exit(errors.UNUSABLE)


def say(line: str) -> None:
    """One line on stderr; a stderr that is gone (closed terminal) is not an error."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def start_command(lang: str | None, debug: bool) -> Lang:
    Session.debug = debug
    if debug:
        import warnings

        warnings.simplefilter("default")  # the library warnings a user never sees
    try:
        Session.lang = resolve_lang(from_argv(lang))
    except UnknownLanguage:
        Session.lang = DEFAULT_LANG
        # never the value: a password typed after --lang by mistake must not be shown
        both = " / ".join(catalog(code).ui("error-unknown-lang") for code in LANGS)
        sys.stderr.write(f"sapkcheck: {both}\n")
        sys.exit(errors.UNUSABLE)
    return Session.lang


def from_argv(value: str | None) -> str | None:
    """Bytes the locale could not decode arrive as lone surrogates: a UTF-8 terminal
    under an ASCII locale. Read them as the UTF-8 they almost always are."""
    if value is None or value.isascii():
        return value
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return value
