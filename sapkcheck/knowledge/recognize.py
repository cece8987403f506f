"""What a message people type is about: the FAQ entry it asks, or none, or another matter.

Chat messages are short, misspelt and regional ("token ora mlebu2 pak 🙏"), so a fuzzy
score against the FAQ's symptoms alone both misses them and matches unrelated ones
("Captcha tidak sesuai" looks like "Email tidak sesuai"). Recognition here is by evidence,
from ``data/recognize.toml``: the text is normalized word by word (chat and regional
spellings to standard Indonesian), then

1. a message the portal shows, found whole in the text, is always recognized (the longest);
2. otherwise the heaviest rule (a set of concepts all present) names the entry, unless the
   text is about a situation without an entry or another matter of the office;
3. otherwise nothing is recognized and the nearest entries (by the FAQ's fuzzy search) are
   offered as "maybe".

Pure: ids and numbers out, no prose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Any, Final, Literal, NamedTuple

from sapkcheck.checks.chars import is_invisible
from sapkcheck.knowledge.data import read_toml

MAX_CHARS: Final = 2000  # a pasted screen or a few chat lines, not a novel: bounded work
NEAREST: Final = 3
NEAREST_MIN_SCORE: Final = 60.0
MISSPELT_SCORE: Final = 90.0
MISSPELT_MIN_CHARS: Final = 10

How = Literal["message", "rule", "none"]
Topic = Literal["elsewhere", "other"]


class Recognition(NamedTuple):
    """``entry`` is the FAQ id recognized (None: nothing is). ``score`` 0-100: 100 for a
    portal message found whole, 90-99 for a rule by its weight, else the fuzzy score of
    the nearest entry. ``topic`` says why a rule was not trusted; ``nearest`` holds the
    entries offered as "maybe" when nothing is recognized, best first; ``quoted`` the
    portal message found whole in the text, as the portal writes it."""

    entry: str | None
    score: int
    how: How
    topic: Topic | None = None
    nearest: tuple[tuple[str, int], ...] = ()
    quoted: str | None = None


class _Concept(NamedTuple):
    pattern: re.Pattern[str]
    weight: int


class _Entry(NamedTuple):
    id: str
    messages: tuple[tuple[str, str], ...]  # (normalized, as the portal writes it)
    rules: tuple[tuple[str, ...], ...]


class _Data(NamedTuple):
    words: Mapping[str, str]
    concepts: Mapping[str, _Concept]
    entries: tuple[_Entry, ...]
    elsewhere: frozenset[str]
    other: frozenset[str]
    systems: frozenset[str]
    trust_weight: int
    filler: frozenset[str]
    systems_trust_weight: int


class RecognizeDataError(ValueError):
    """``recognize.toml`` is malformed (a packaging bug, not a user error)."""


_EMAIL_LIKE: Final = re.compile(r"\S+[@\uff20]\S+")
_WORD_RUN: Final = re.compile(r"\S+")
_NO_REPLY: Final = re.compile(r"no-?reply[@\uff20]\S+", re.IGNORECASE)
_EXCEL_NUMBER: Final = re.compile(r"\d[.,]\d+\s*e\s*\+?\s*\d+|\be\s*\+\s*1\d\b", re.IGNORECASE)
_REDUPLICATION: Final = re.compile(r"(?<=[^\W\d_]{3})2\b")  # "masuk2" = "masuk-masuk"
_NON_WORD: Final = re.compile(r"[^\w]+|_+")


def _masked_email(run: re.Match[str]) -> str:
    """The portal's hint ``eli*****@gmail.com`` (two stars or more, then an at sign with
    something after it) reads "maskedemail". Decided per run of non-blanks: a pattern
    such as ``\\S*\\*{2,}\\S*@\\S+`` backtracks for minutes over a line of stars."""
    word = run.group(0)
    stars = word.find("**")
    if stars >= 0 and any(ch in "@\uff20" for ch in word[stars + 2 : -1]):
        return " maskedemail "
    return word


def normalize(text: str, words: Mapping[str, str] | None = None) -> str:
    """Lower case, no invisible characters or punctuation, one space between words, chat
    and regional spellings as standard Indonesian; an email address reads "email" and a
    number Excel wrote in scientific notation reads "excelnumber"."""
    words = _data().words if words is None else words
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    text = "".join(ch for ch in text if not is_invisible(ch)).casefold()
    text = _NO_REPLY.sub(" noreply email ", _WORD_RUN.sub(_masked_email, text))
    text = _EXCEL_NUMBER.sub(" excelnumber ", _EMAIL_LIKE.sub(" email ", text))
    text = _REDUPLICATION.sub("", text.replace("e-mail", "email"))
    return " ".join(words.get(word, word) for word in _NON_WORD.sub(" ", text).split())


@lru_cache(maxsize=4096)  # a chat repeats itself ("ok pak", "makasih", a pasted message)
def recognize(text: str) -> Recognition:
    data = _data()
    normalized = normalize(text, data.words)
    if not normalized:
        return Recognition(None, 0, "none")
    present = {
        name for name, concept in data.concepts.items() if concept.pattern.search(normalized)
    }
    padded = f" {normalized} "
    # (weight, kind, -order, entry id): a portal message found whole weighs two more than
    # its number of words (as much as a strong rule), so a longer message wins over a
    # shorter one inside it ("Operasi Gagal" inside "Ooops, Operasi Gagal, Data not found
    # in AUTH BKN"), and a heavier rule wins over a short message ("operasi gagal, email
    # tidak sesuai"); on equal weight the message wins.
    best: tuple[int, int, int, str, str] | None = None
    for order, entry in enumerate(data.entries):
        for message, original in entry.messages:
            if f" {message} " in padded:
                candidate = (message.count(" ") + 3, 1, -order, entry.id, original)
                best = candidate if best is None or candidate > best else best
        for rule in entry.rules:
            if all(name in present for name in rule):
                weight = sum(data.concepts[name].weight for name in rule)
                candidate = (weight, 0, -order, entry.id, "")
                best = candidate if best is None or candidate > best else best
    if best is None or best[1] == 0:
        misspelt = _misspelt_message(normalized, data)
        if misspelt is not None and (best is None or misspelt > best):
            best = misspelt
    elsewhere_app = bool(present & data.systems) and "app" not in present
    if best is not None and best[1] == 1:  # a portal message: recognized...
        if elsewhere_app:
            # ...unless another application is named and the portal is not ("operasi
            # gagal pas transfer di aplikasi bank"): the message is that application's.
            return Recognition(None, 0, "none", "other")
        return Recognition(best[3], 100, "message", quoted=best[4])
    topic = _topic(present, data, best[0] if best else 0, elsewhere_app)
    if best is not None and topic is None:
        return Recognition(best[3], min(99, 85 + 3 * best[0]), "rule")
    # Another matter of the office is near no entry: offering one would mislead.
    nearest = () if topic == "other" else _nearest(normalized, data)
    return Recognition(None, 0, "none", topic, nearest)


def _misspelt_message(normalized: str, data: _Data) -> tuple[int, int, int, str, str] | None:
    """A portal message typed with a slip ("Opersi Gagal"): one that aligns with a part of
    the text at ``MISSPELT_SCORE`` or better. It weighs one less than found whole."""
    from rapidfuzz import fuzz

    best: tuple[int, int, int, str, str] | None = None
    for order, entry in enumerate(data.entries):
        for message, original in entry.messages:
            if len(message) < MISSPELT_MIN_CHARS:
                continue
            # The message inside the text, or the whole text as the message: never a
            # short text aligned inside a long message.
            if len(message) <= len(normalized):
                score = fuzz.partial_ratio(message, normalized)
            else:
                score = fuzz.ratio(message, normalized)
            if score >= MISSPELT_SCORE:
                candidate = (message.count(" ") + 2, 1, -order, entry.id, original)
                best = candidate if best is None or candidate > best else best
    return best


def _topic(present: set[str], data: _Data, weight: int, elsewhere_app: bool) -> Topic | None:
    """Why a rule of this weight is not trusted here, if it is not."""
    if elsewhere_app and weight < data.systems_trust_weight:
        return "other"
    if weight >= data.trust_weight:
        return None
    if present & data.elsewhere:
        return "elsewhere"
    if present & data.other:
        return "other"
    return None


def _nearest(normalized: str, data: _Data) -> tuple[tuple[str, int], ...]:
    """The entries whose symptoms the words of the text come nearest to, filler aside."""
    from sapkcheck.knowledge.faq import search

    content = " ".join(word for word in normalized.split() if word not in data.filler)
    if not content:
        return ()
    ranked = search(content, limit=NEAREST, min_score=NEAREST_MIN_SCORE)
    return tuple((entry.id, round(score)) for entry, score in ranked)


# --- loading -------------------------------------------------------------------------------


@cache
def _data() -> _Data:
    raw = read_toml("data", "recognize.toml")
    words = raw.get("words", {})
    if not isinstance(words, dict) or not all(isinstance(v, str) for v in words.values()):
        raise RecognizeDataError("recognize.toml: [words] must map words to text")
    concepts = {name: _concept(name, spec) for name, spec in _table(raw, "concepts").items()}
    entries = tuple(
        _entry(entry_id, spec, concepts, words) for entry_id, spec in _table(raw, "entries").items()
    )
    topics = _table(raw, "topics")
    elsewhere = frozenset(_names(topics.get("elsewhere", []), concepts))
    other = frozenset(_names(topics.get("other", []), concepts))
    systems = frozenset(_names(topics.get("systems", []), concepts))
    trust = topics.get("trust_weight", 3)
    systems_trust = topics.get("systems_trust_weight", trust)
    if not isinstance(trust, int) or not isinstance(systems_trust, int):
        raise RecognizeDataError("recognize.toml: topics.*trust_weight is not an integer")
    filler = _table(raw, "filler").get("words", [])
    if not isinstance(filler, list) or not all(isinstance(word, str) for word in filler):
        raise RecognizeDataError("recognize.toml: filler.words must be a list of words")
    return _Data(
        words, concepts, entries, elsewhere, other, systems, trust, frozenset(filler), systems_trust
    )


def _table(raw: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise RecognizeDataError(f"recognize.toml: [{key}] is not a table")
    return value


def _concept(name: str, spec: Any) -> _Concept:
    if not isinstance(spec, dict) or not isinstance(spec.get("pattern"), str):
        raise RecognizeDataError(f"recognize.toml: concept {name} has no pattern")
    weight = spec.get("weight", 1)
    if not isinstance(weight, int):
        raise RecognizeDataError(f"recognize.toml: concept {name} weight is not an integer")
    return _Concept(re.compile(spec["pattern"]), weight)


def _names(names: Any, concepts: Mapping[str, _Concept]) -> list[str]:
    if not isinstance(names, list) or not all(name in concepts for name in names):
        raise RecognizeDataError(f"recognize.toml: unknown concept in {names!r}")
    return names


def _entry(
    entry_id: str, spec: Any, concepts: Mapping[str, _Concept], words: Mapping[str, str]
) -> _Entry:
    if not isinstance(spec, dict):
        raise RecognizeDataError(f"recognize.toml: entry {entry_id} is not a table")
    messages = spec.get("messages", [])
    rules = spec.get("rules", [])
    if not isinstance(messages, list) or not all(isinstance(m, str) for m in messages):
        raise RecognizeDataError(f"recognize.toml: {entry_id}.messages must be texts")
    if not isinstance(rules, list):
        raise RecognizeDataError(f"recognize.toml: {entry_id}.rules must be a list")
    return _Entry(
        entry_id,
        tuple((normalize(message, words), message) for message in messages),
        tuple(tuple(_names(rule, concepts)) for rule in rules),
    )
