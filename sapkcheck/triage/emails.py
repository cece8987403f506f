"""Find email addresses in chat text, keeping the pasted characters that belong to them.

The point is diagnosis, so a found address keeps what ``check_email`` must see: the
trailing spaces or invisible characters before the end of a line (the classic cause of
"Operasi Gagal"), WhatsApp markup ``*…*`` ``_…_`` ``~…~``, quotes, ``<…>``, ``mailto:``,
a full-width at sign (U+FF20) or look-alike letters, and one space typed beside the ``@``
(``eli.sari @gmail.com``). Left out, because they are the sentence's, not the address's:
the space between words, a sentence's final ``.`` ``,`` ``;`` ``:``, a name before
``<…>``. A space beside the ``@`` joins only a local part that is no plain word
(``eli.sari @gmail.com``, not ``email kantor @bkpp.go.id``). A line-start space before
the address is kept like a line-end one, and ``eli@gmail. com`` (a keyboard's space
after the dot) is one address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sapkcheck.checks.chars import is_blank, is_invisible
from sapkcheck.checks.email.clean import MAILTO, QUOTE_PAIRS

MASK = "\x00"
"""Stands in for text already taken by another value (keeps offsets, breaks every run)."""
MAX_LOCAL = 80
MAX_DOMAIN = 255
MAX_AT_SIGNS = 500
"""``@`` signs examined per text: each costs at most MAX_LOCAL + MAX_DOMAIN steps."""

_AT = "@\uff20"
_LOCAL_SPECIALS = frozenset("._%+-!#$&'*`~")
_DOMAIN_SPECIALS = frozenset("-.\uff0e\u3002\uff61")
_DOTS = frozenset(".\uff0e\u3002\uff61")
_PAIRS = {**QUOTE_PAIRS, "<": ">", "*": "*", "_": "_", "~": "~"}
# A dotless domain is accepted only when it names a mail provider ("eli@gmail"); else
# "Sari@1986" (a password) or "sy @ kantor" would count as addresses.
_PROVIDER = re.compile(r"g?mail|gmial|gmai|yahoo|ymail|hotmail|outlook|icloud|live", re.I)
_TLD = re.compile(r"[^\W\d_]{2,}")
_SPLIT_TLD = re.compile(r"\. (?:co\.id|go\.id|ac\.id|sch\.id|com|net|org|id)\b(?![.@])")
_NO_REPLY = re.compile(r"no-?reply", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EmailRun:
    """``start``/``end`` of the value with its debris; ``kind``: what it is to the caller."""

    start: int
    end: int
    kind: str  # "email" | "masked" (a hint like eli*****@gmail.com) | "sender" (no-reply)


def _local_char(ch: str) -> bool:
    return ch.isalnum() or ch in _LOCAL_SPECIALS or (ch != MASK and is_invisible(ch))


def _domain_char(ch: str) -> bool:
    return ch.isalnum() or ch in _DOMAIN_SPECIALS or (ch != MASK and is_invisible(ch))


def find_emails(work: str) -> Iterator[EmailRun]:
    """Email-like runs in ``work`` (text with taken spans replaced by ``MASK``), in order."""
    pos = 0
    seen = 0
    while seen < MAX_AT_SIGNS:
        at = _next_at(work, pos)
        if at < 0:
            return
        seen += 1
        run = _around(work, at)
        if run is None:
            pos = at + 1
            continue
        yield run
        pos = max(run.end, at + 1)


def _next_at(work: str, pos: int) -> int:
    found = [i for i in (work.find(at, pos) for at in _AT) if i >= 0]
    return min(found) if found else -1


def _around(work: str, at: int) -> EmailRun | None:
    """The address whose ``@`` is at ``at``, or None."""
    for spaced in (False, True):
        run = _address(work, at, spaced)
        if run is not None:
            return run
    return None


def _address(work: str, at: int, spaced: bool) -> EmailRun | None:
    n = len(work)
    left = at - 1 if spaced and at > 0 and work[at - 1] == " " else at
    right = at + 2 if spaced and at + 1 < n and work[at + 1] == " " else at + 1
    if spaced and (left, right) == (at, at + 1):
        return None  # no space beside the @: the unspaced attempt already judged it
    start = left
    while start > 0 and left - start < MAX_LOCAL and _local_char(work[start - 1]):
        start -= 1
    while start < left and work[start] in _DOTS:
        start += 1  # "...eli@" or "ini.eli@": the dots are the sentence's
    end = right
    while end < n and end - right < MAX_DOMAIN and _domain_char(work[end]):
        end += 1
    while end > right and work[end - 1] in _DOMAIN_SPECIALS:
        end -= 1  # a sentence's final "." or a dangling "-"
    split = _SPLIT_TLD.match(work, end)
    if split and not any(ch in _DOTS for ch in work[right:end]):
        end = split.end()  # "eli@gmail. com": a keyboard's space after the dot
    local, domain = work[start:left], work[right:end]
    if not any(ch.isalnum() for ch in local) or not any(ch.isalpha() for ch in domain):
        return None
    dotted = any(ch in _DOTS for ch in domain)
    if spaced and local.isalpha():
        return None  # "email kantor @sumbawakab.go.id": a word, then a domain
    if spaced or not dotted:
        labels = re.split(r"[.\uff0e\u3002\uff61]", domain)
        if not (dotted and _TLD.fullmatch(labels[-1])) and not _PROVIDER.fullmatch(domain):
            return None
    kind = "email"
    if "**" in local:
        kind = "masked"
    elif _NO_REPLY.fullmatch(local):
        kind = "sender"
    start, end = _wrappers(work, start, end)
    start, end = widen_debris(work, start, end)
    return EmailRun(start, end, kind)


def _wrappers(work: str, start: int, end: int) -> tuple[int, int]:
    """Widen to the wrappers around the address: mailto:, <…>, quotes, markup."""
    for _ in range(6):
        if work[max(0, start - len(MAILTO)) : start].lower() == MAILTO:
            start -= len(MAILTO)
            continue
        first = work[start]
        if first in _PAIRS and first in "*_~'`" and end < len(work) and work[end] == first:
            end += 1  # the local part's own first character opened the pair: "*eli@x.id*"
            continue
        if start > 0 and end < len(work) and _PAIRS.get(work[start - 1]) == work[end]:
            start, end = start - 1, end + 1
            continue
        break
    return start, end


def widen_debris(work: str, start: int, end: int) -> tuple[int, int]:
    """Widen a value to blank characters that run to the line's end (or from its start)
    and to invisible characters touching it: pasted with the value, not typed between
    words."""
    n = len(work)
    k = end
    while k < n and work[k] not in "\r\n" and work[k] != MASK and is_blank(work[k]):
        k += 1
    if k == n or work[k] in "\r\n":
        end = k
    else:
        while end < n and work[end] != MASK and is_invisible(work[end]):
            end += 1
    k = start
    while k > 0 and work[k - 1] not in "\r\n" and work[k - 1] != MASK and is_blank(work[k - 1]):
        k -= 1
    if k == 0 or work[k - 1] in "\r\n":
        start = k
    else:
        while start > 0 and work[start - 1] != MASK and is_invisible(work[start - 1]):
            start -= 1
    return start, end
