"""Locate what copy-paste adds around and inside an email address.

Surrounding whitespace and invisible characters, wrappers (``mailto:``, ``<…>``,
``Name <…>``, quotes, WhatsApp markup, trailing punctuation), inner whitespace and
invisible characters. Each is a *certain* fix: removing it never changes which
mailbox is meant. The result keeps every removed piece with its offsets so findings
can point at the input as typed. Linear time: index arithmetic, no regex backtracking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sapkcheck.checks.chars import blank_edges, is_invisible, is_space

# Opening -> closing character of the quote-like wrappers people paste.
QUOTE_PAIRS = {
    '"': '"',
    "'": "'",
    "\u201c": "\u201d",  # double quotation marks
    "\u201d": "\u201d",
    "\u2018": "\u2019",  # single quotation marks
    "\u2019": "\u2019",
    "\u00ab": "\u00bb",  # guillemets
    "`": "`",
    "(": ")",
    "[": "]",
}
MARKUP = ("*", "_", "~")  # WhatsApp bold, italic, strike-through
TRAILING_PUNCTUATION = ".,;:"
MAILTO = "mailto:"


@dataclass(slots=True)
class Wrapper:
    kind: str  # mailto | angle | name-angle | quotes | markup | trailing-punct
    text: str  # what was removed, e.g. "mailto:" or "<>"
    span: tuple[int, int]  # offsets of the first removed piece


@dataclass(slots=True)
class Cleaned:
    """An address with copy-paste debris located and removed."""

    text: str  # the input as typed
    address: str = ""  # the address after every certain fix
    leading: list[int] = field(default_factory=list)  # offsets of blank characters
    trailing: list[int] = field(default_factory=list)
    wrappers: list[Wrapper] = field(default_factory=list)
    inner_spaces: list[int] = field(default_factory=list)
    inner_invisible: list[int] = field(default_factory=list)
    core: tuple[int, int] = (0, 0)  # offsets of the address inside the wrappers


_WRAPPER_EDGES = frozenset(QUOTE_PAIRS) | frozenset(MARKUP) | frozenset("<>" + TRAILING_PUNCTUATION)
_WRAPPER_EDGES |= frozenset(QUOTE_PAIRS.values())


def is_plain(text: str) -> bool:
    """Printable ASCII without spaces or wrapper characters at either end: nothing to clean.
    The common case in admins' exports; checked without a per-character Python loop."""
    return (
        bool(text)
        and text.isascii()
        and text.isprintable()
        and " " not in text
        and text[0] not in _WRAPPER_EDGES
        and text[-1] not in _WRAPPER_EDGES
        and text[:7].lower() != MAILTO
    )


def clean_address(text: str) -> Cleaned:
    if is_plain(text):
        return Cleaned(text, address=text, core=(0, len(text)))
    result = Cleaned(text)
    start, end = 0, len(text)
    while True:
        start, end = _strip_blanks(text, start, end, result)
        unwrapped = _unwrap_once(text, start, end, result)
        if unwrapped is None:
            break
        start, end = unwrapped
    result.core = (start, end)
    core = text[start:end]
    if core.isascii() and core.isprintable() and " " not in core:
        result.address = core  # no space or invisible character inside (most debris)
        return result
    kept: list[str] = []
    for i in range(start, end):
        ch = text[i]
        if is_space(ch):
            result.inner_spaces.append(i)
        elif is_invisible(ch):
            result.inner_invisible.append(i)
        else:
            kept.append(ch)
    result.address = "".join(kept)
    return result


def _strip_blanks(text: str, start: int, end: int, result: Cleaned) -> tuple[int, int]:
    inner_start, inner_end = blank_edges(text, start, end)
    result.leading.extend(range(start, inner_start))
    result.trailing.extend(range(end - 1, inner_end - 1, -1))
    return inner_start, inner_end


def _unwrap_once(text: str, start: int, end: int, result: Cleaned) -> tuple[int, int] | None:
    """Remove one outer wrapper from text[start:end]; None when there is none."""
    if end - start < 2:
        return None
    first, last = text[start], text[end - 1]
    if text[start : start + len(MAILTO)].lower() == MAILTO:
        result.wrappers.append(Wrapper("mailto", text[start : start + 7], (start, start + 7)))
        return start + len(MAILTO), end
    if last == ">":
        opening = text.rfind("<", start, end - 1)
        if opening == start:
            result.wrappers.append(Wrapper("angle", "<…>", (start, start + 1)))
            return start + 1, end - 1
        if opening > start and "@" not in text[start:opening]:
            # "Nama Pegawai <nama@gmail.com>": keep what is inside the brackets.
            result.wrappers.append(
                Wrapper("name-angle", text[start : opening + 1] + "…>", (start, opening + 1))
            )
            return opening + 1, end - 1
    if first in QUOTE_PAIRS and last == QUOTE_PAIRS[first]:
        result.wrappers.append(Wrapper("quotes", f"{first}…{last}", (start, start + 1)))
        return start + 1, end - 1
    if first in MARKUP and last == first:
        result.wrappers.append(Wrapper("markup", f"{first}…{last}", (start, start + 1)))
        return start + 1, end - 1
    if last in TRAILING_PUNCTUATION:
        result.wrappers.append(Wrapper("trailing-punct", last, (end - 1, end)))
        return start, end - 1
    return None
