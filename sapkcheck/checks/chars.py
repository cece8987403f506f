"""Character facts shared by the email, token and password checks.

Pasted text from chats and PDFs carries characters nobody can see: spaces of every
kind, zero-width characters, bidi marks, soft hyphens. ``str.strip()`` removes only
some of them, so these checks classify by Unicode category instead.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Letters and symbols that render as nothing but are not in category Cf/Z*.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_BLANK_CATEGORIES = frozenset(("Zs", "Cf", "Cc", "Zl", "Zp", "Cs"))
# Ideographic full stops that IDNA reads as dots but MySAPK compares literally.
_DOT_LOOKALIKES = {"\u3002": ".", "\uff61": ".", "\uff0e": "."}


def is_space(ch: str) -> bool:
    """Whitespace of any kind: ASCII spaces, tabs, CR/LF, NBSP, the Unicode spaces."""
    return ch.isspace() or unicodedata.category(ch) == "Zs"


def is_invisible(ch: str) -> bool:
    """A non-whitespace character that shows nothing: format (Cf: zero-width,
    word joiner, BOM, soft hyphen, bidi marks), other controls, blank glyphs."""
    if ch.isspace():
        return False
    return unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp", "Cs") or ch in _BLANK_GLYPHS


def is_blank(ch: str) -> bool:
    """Shows nothing: a space or an invisible character. The one definition every check
    strips at the edges of a pasted value (NIP, email, domain, password, token).

    Decided once for all of them: Hangul fillers (U+3164, U+115F, U+1160, U+FFA0), the
    Braille blank (U+2800), the combining grapheme joiner (U+034F), controls (Cc) and
    lone surrogates are blank too, not "invalid characters": chat apps use the fillers
    as "empty" names and text, and nobody can see them to delete them.
    """
    # is_space(ch) or is_invisible(ch), in one category look-up: it runs per character.
    return ch.isspace() or unicodedata.category(ch) in _BLANK_CATEGORIES or ch in _BLANK_GLYPHS


def blank_edges(text: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """``(start, end)`` of ``text[start:end]`` without its blank characters at both ends."""
    end = len(text) if end is None else end
    # Printable ASCII (" " < ch < DEL) is never blank: most values end on one at once.
    while start < end and not (" " < text[start] < "\x7f") and is_blank(text[start]):
        start += 1
    while end > start and not (" " < text[end - 1] < "\x7f") and is_blank(text[end - 1]):
        end -= 1
    return start, end


def codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def unicode_name(ch: str) -> str:
    """Unicode's (English) name of a character, "" when it has none; controls by their
    usual names (TAB has no name in the Unicode database)."""
    return unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "")


def codepoints(chars: Iterable[str], limit: int = 3) -> str:
    """The distinct characters as code points, in order of first appearance, at most
    ``limit`` (``U+0020 U+00A0``; `` …`` ends the list when there were more).

    This is what a finding carries: the renderer names each one in the chosen language
    (``Catalog.char_names``)."""
    seen: list[str] = []
    more = False
    for ch in chars:
        if ch in seen:
            continue
        if len(seen) == limit:
            more = True
            break
        seen.append(ch)
    return " ".join(codepoint(ch) for ch in seen) + (" …" if more else "")


def load_lookalikes() -> None:
    """Import Unicode's confusables data now (it is imported on first use: ~60 ms)."""
    from confusable_homoglyphs import confusables  # noqa: F401


@lru_cache(maxsize=2048)  # per character of every email in a batch: the look-up is slow
def ascii_lookalike(ch: str) -> str | None:
    """The plain ASCII character ``ch`` is mistaken for, or None.

    Full-width and other compatibility forms fold by NFKC; a letter with a diacritic
    (``ä``, ``é``) is its base letter; Cyrillic and Greek look-alikes, and Latin ones
    outside ASCII (U+0251 alpha, U+0131 dotless i, U+0261 script g), come from Unicode's
    confusables data (confusable_homoglyphs)."""
    if ch in _DOT_LOOKALIKES:
        return _DOT_LOOKALIKES[ch]
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) == 1 and folded.isascii() and folded.isprintable() and not is_space(folded):
        return folded
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if len(base) == 1 and base.isascii() and base.isalnum():
        return base
    from confusable_homoglyphs import confusables

    # No alias is "safe": a Latin letter outside ASCII is as foreign to an address as a
    # Cyrillic one.
    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=[])
    if not found:
        return None
    for homoglyph in found[0]["homoglyphs"]:
        candidate = str(homoglyph["c"])
        if len(candidate) == 1 and candidate.isascii() and candidate.isalnum():
            return candidate.lower() if ch.islower() else candidate
    return None


_CONTROL_NAMES = {
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\x00": "NULL",
    "\x85": "NEXT LINE",
}
