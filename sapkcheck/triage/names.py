"""Senders' names found in free text, for ``triage --mask``.

A chat can have thousands of senders; a regular expression alternating their names costs
a try of every name at every position (30 s for 5,000 questions of 5,000 senders). The
names go in a trie of their words instead: a text is walked word by word, each word
followed as far as a name goes, the longest name winning ("Budi Santoso" before "Budi").
Whole words only: "Ani" is not found inside "Rani".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018`\u00b4\u02bc", "'"))
# How people are addressed before their name, and degrees after it: "Pak Joko", "Dr. Andi
# Wijaya, S.Pd", "Siti Aminah (Dinkes)" is "Joko", "Andi Wijaya", "Siti Aminah" in a message.
_HONORIFICS = frozenset(
    {
        *("pak", "bapak", "bp", "bpk", "bu", "ibu", "bunda", "kak", "kakak", "mas", "mbak"),
        *("mba", "bang", "abang", "dik", "adik", "om", "tante", "dr", "drs", "dra", "ir"),
        *("h", "hj", "prof", "ust", "ustadz", "ustadzah"),
    }
)
# Said before a first name in a chat: "Pak Budi" names "Budi Santoso".
_ADDRESSED = ("Pak", "Bapak", "Bu", "Ibu", "Mas", "Mbak", "Kak", "Bang", "Dik")
# A role, not a name: "Ibu Guru" or "Bapak Kepala Sekolah" are not renamed by "guru" alone.
_ROLE_WORDS = frozenset(
    {
        *("guru", "admin", "operator", "kepala", "staf", "staff", "pegawai", "bendahara"),
        *("sekretaris", "info", "dinas", "sekolah", "kasubag", "kabid", "camat", "lurah"),
        *("desa", "kantor", "bidang", "bagian", "puskesmas", "helpdesk", "tu", "pns", "asn"),
    }
)
_ASIDE = re.compile(r"[(\[][^)\]]*[)\]]")
_DEGREE = re.compile(r"[A-Za-z]{1,3}\.[A-Za-z.]{1,8}")  # S.Pd, M.Si, A.Md.Kep
_SHORTEST_NAME = 3  # letters; a shorter variant ("Bu A") would rename a common word


def name_variants(name: str) -> list[str]:
    """``name`` and the shorter forms a message may use for it: without an aside in
    brackets, without degrees (after a comma, or a trailing ``S.Pd``), without the
    honorifics before it (unless a role is left: "Ibu Guru"), and its first word after
    "Pak", "Bu", … A variant that names no one (:func:`_names_someone`) is left out."""
    variants = [name]
    core = _ASIDE.sub(" ", name).split(",")[0]
    words = core.replace("~", " ").split()
    while len(words) > 1 and _DEGREE.fullmatch(words[-1]):
        words.pop()
    variants.append(" ".join(words))
    while len(words) > 1 and words[0].rstrip(".").casefold() in _HONORIFICS:
        words.pop(0)
        if all(word.casefold() in _ROLE_WORDS for word in words):
            break
        variants.append(" ".join(words))
    if words and len(words[0]) >= _SHORTEST_NAME and words[0].casefold() not in _ROLE_WORDS:
        # the whole name after a title too: "pak Budi Santoso" is Budi Santoso, not the
        # "Pak Budi" of a sender named Budi followed by "Santoso"
        for called in dict.fromkeys((words[0], " ".join(words))):
            variants += [f"{title} {called}" for title in _ADDRESSED]
    return [variant for variant in dict.fromkeys(variants) if _names_someone(variant)]


def _names_someone(variant: str) -> bool:
    """A word of three letters or more that is no title or role ("Admin", "Ibu Guru",
    "Operator Dinas" name a desk: renaming them would rename every "admin" of the chat)."""
    words = [word.casefold() for word in _WORD.findall(variant)]
    return any(len(word) >= _SHORTEST_NAME for word in words) and not all(
        word in _ROLE_WORDS or word in _HONORIFICS for word in words
    )


def _between(text: str) -> str:
    """What separates two words of a name, as compared: spaces collapsed, any apostrophe
    the ASCII one ("Ma\u2019ruf" on an iPhone is "Ma'ruf")."""
    return _SPACES.sub(" ", text).translate(_APOSTROPHES)


def _in_dotted_name(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` part of a host, an address or a file name (``bkn`` in
    ``asndigital.bkn.go.id`` or ``budi@bkn.go.id``)? A sentence's final period is not."""
    before = text[start - 1] if start else ""
    after = text[end : end + 2]
    return before in (".", "@") or after[:1] == "@" or (after[:1] == "." and after[1:].isalnum())


@dataclass(frozen=True, slots=True)
class _Name:
    words: tuple[str, ...]  # as written
    between: tuple[str, ...]  # what separates its words, spaces collapsed
    key: str  # the sender it names


@dataclass(slots=True)
class _Node:
    next: dict[str, _Node] = field(default_factory=dict)
    names: list[_Name] = field(default_factory=list)


class SenderNames:
    """Names added with the sender each one stands for; :meth:`replace` swaps them in a
    text for what ``alias`` gives the sender."""

    def __init__(self) -> None:
        self._root = _Node()
        self._known: set[str] = set()

    def add(self, name: str, key: str) -> None:
        """``name`` as written by WhatsApp (its "~" for a number not in the contacts and
        invisible marks dropped); a name without a letter or digit cannot be found."""
        if name in self._known:
            return
        self._known.add(name)
        text = "".join(ch for ch in name if unicodedata.category(ch) != "Cf").replace("~", " ")
        words = list(_WORD.finditer(text))
        if not words:
            return
        between = tuple(
            _between(text[left.end() : right.start()]) for left, right in itertools.pairwise(words)
        )
        node = self._root
        for word in words:
            node = node.next.setdefault(word.group().casefold(), _Node())
        node.names.append(_Name(tuple(word.group() for word in words), between, key))

    def replace(self, text: str, alias: Callable[[str], str], any_case: bool) -> str:
        """``text`` with each name found replaced by ``alias(key)``. ``any_case``: "pak
        budi" names Budi (the chat's own words; a one-word name still needs its capital:
        "kantor indah sekali" is not Indah); otherwise the case must be the name's. Never
        inside a dotted name or an address ("asndigital.bkn.go.id" for a sender "BKN")."""
        if not self._known:
            return text
        words = list(_WORD.finditer(text))
        parts: list[str] = []
        done = 0
        index = 0
        while index < len(words):
            found = self._longest(text, words, index, any_case)
            if found is None:
                index += 1
                continue
            last, key = found
            if _in_dotted_name(text, words[index].start(), words[last].end()):
                index += 1
                continue
            parts += [text[done : words[index].start()], alias(key)]
            done = words[last].end()
            index = last + 1
        if not parts:
            return text
        parts.append(text[done:])
        return "".join(parts)

    def _longest(
        self, text: str, words: list[re.Match[str]], first: int, any_case: bool
    ) -> tuple[int, str] | None:
        """(index of the last word, key) of the longest name starting at word ``first``."""
        node = self._root
        best: tuple[int, str] | None = None
        for index in range(first, len(words)):
            step = node.next.get(words[index].group().casefold())
            if step is None:
                break
            node = step
            for name in node.names:
                if self._matches(text, words, first, name, any_case):
                    best = (index, name.key)
                    break
        return best

    @staticmethod
    def _matches(
        text: str, words: list[re.Match[str]], first: int, name: _Name, any_case: bool
    ) -> bool:
        for offset, between in enumerate(name.between):
            left, right = words[first + offset], words[first + offset + 1]
            if _between(text[left.end() : right.start()]) != between:
                return False
        if any_case and (len(name.words) > 1 or words[first].group()[:1].isupper()):
            return True
        return all(words[first + offset].group() == word for offset, word in enumerate(name.words))
