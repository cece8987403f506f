"""Finding the header row and the NIP/email/registered/name columns by name
(``data/columns.toml``)."""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sapkcheck.batch.tables.model import (
    _WORD,
    HEADER_SEARCH_ROWS,
    MAX_COLUMN_NAME,
    MAX_LISTED_COLUMNS,
    ROLE_ORDER,
    CellValue,
    Columns,
    Role,
    TableError,
    _cell_text,
)
from sapkcheck.knowledge.data import read_data
from sapkcheck.limits import MAX_CARRIED_COLUMNS

# --------------------------------------------------------------------------- column names


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def normalize_header(text: str) -> str:
    """``"E-Mail SAPK "`` -> ``"emailsapk"``: what header matching compares."""
    return "".join(_words(text))


@dataclass(frozen=True, slots=True)
class _Rule:
    exact: tuple[str, ...]  # normalized, in order of preference
    keywords: tuple[tuple[str, ...], ...]
    require: tuple[tuple[str, ...], ...]
    exclude: tuple[tuple[str, ...], ...]

    def matches_keywords(self, words: tuple[str, ...]) -> bool:
        return (
            any(_has_run(words, k) for k in self.keywords)
            and (not self.require or any(_has_run(words, r) for r in self.require))
            and not any(_has_run(words, x) for x in self.exclude)
        )


def _has_run(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(words[i : i + n] == run for i in range(len(words) - n + 1))


def _str_list(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"columns.toml: [{where}].{key} must be a list of strings")
    return value


def parse_column_rules(text: str) -> dict[Role, _Rule]:
    """Parse (and validate) the contents of ``columns.toml``."""
    data = tomllib.loads(text)
    if data.get("schema") != 1:
        raise ValueError("columns.toml: unsupported schema")
    rules: dict[Role, _Rule] = {}
    owner: dict[str, Role] = {}
    for role in ROLE_ORDER:
        table = data.get(role)
        if not isinstance(table, dict):
            raise ValueError(f"columns.toml: missing [{role}]")
        unknown = set(table) - {"exact", "keywords", "require", "exclude"}
        if unknown:
            raise ValueError(f"columns.toml: unknown keys in [{role}]: {sorted(unknown)}")
        exact: list[str] = []
        for name in _str_list(table, "exact", role):
            norm = normalize_header(name)
            if not norm:
                raise ValueError(f"columns.toml: [{role}] exact name {name!r} has no letters")
            if owner.setdefault(norm, role) != role:
                raise ValueError(f"columns.toml: {name!r} is listed for {owner[norm]} and {role}")
            if norm not in exact:
                exact.append(norm)

        def runs(
            key: str, role: Role = role, table: Mapping[str, Any] = table
        ) -> tuple[tuple[str, ...], ...]:
            out = tuple(_words(w) for w in _str_list(table, key, role))
            if any(not run for run in out):
                raise ValueError(f"columns.toml: [{role}].{key} has an empty entry")
            return out

        rules[role] = _Rule(tuple(exact), runs("keywords"), runs("require"), runs("exclude"))
    return rules


@cache
def column_rules() -> dict[Role, _Rule]:
    text = read_data("data", "columns.toml")
    return parse_column_rules(text)


def _detect(
    header: Sequence[str], overrides: Mapping[Role, str]
) -> tuple[dict[Role, int], dict[Role, str]]:
    """Assign columns to roles. Returns (assignments, overrides that matched no column)."""
    rules = column_rules()
    norm = [normalize_header(h) for h in header]
    assigned: dict[Role, int] = {}
    used: set[int] = set()
    missing: dict[Role, str] = {}

    def take(role: Role, index: int | None) -> bool:
        if index is None:
            return False
        assigned[role] = index
        used.add(index)
        return True

    def first(pred: Any) -> int | None:
        return next((i for i in range(len(header)) if i not in used and pred(i)), None)

    for role, name in overrides.items():
        target = normalize_header(name)
        if not take(role, first(lambda i, target=target: bool(target) and norm[i] == target)):
            missing[role] = name
    for role in ROLE_ORDER:
        if role in overrides:
            continue
        for alias in rules[role].exact:
            if take(role, first(lambda i, alias=alias: norm[i] == alias)):
                break
    words = [_words(h) for h in header]
    for role in ROLE_ORDER:
        rule = rules[role]
        if role in overrides or role in assigned or not rule.keywords:
            continue
        take(role, first(lambda i, rule=rule: rule.matches_keywords(words[i])))
    return assigned, missing


def _header_texts(cells: Sequence[CellValue]) -> tuple[str, ...]:
    """Header cells as trimmed text, cut after the last non-empty one."""
    texts = [_cell_text(c).strip() for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


def _list_columns(header: Sequence[str]) -> str:
    names = [h[:MAX_COLUMN_NAME] for h in header if h]
    more = len(names) - MAX_LISTED_COLUMNS
    listed = ", ".join(names[:MAX_LISTED_COLUMNS])
    return f"{listed}, +{more}" if more > 0 else listed


@dataclass(frozen=True, slots=True)
class _HeaderChoice:
    index: int  # 0-based physical row of the header among the rows searched
    header: tuple[str, ...]
    assigned: dict[Role, int]
    missing: dict[Role, str]


def _find_header(
    rows: Sequence[Sequence[CellValue]], overrides: Mapping[Role, str]
) -> _HeaderChoice | None:
    """The first non-empty row (of the first HEADER_SEARCH_ROWS) that names a NIP column."""
    seen = 0
    for index, cells in enumerate(rows):
        header = _header_texts(cells)
        if not any(header):
            continue
        assigned, missing = _detect(header, overrides)
        if "nip" in assigned:
            return _HeaderChoice(index, header, assigned, missing)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return None


def _best_guess_header(rows: Sequence[Sequence[CellValue]]) -> tuple[int, tuple[str, ...]]:
    """For error messages: the searched row with the most non-empty cells."""
    best: tuple[int, int, tuple[str, ...]] = (-1, 0, ())  # (count, index, header)
    seen = 0
    for index, cells in enumerate(rows):
        header = _header_texts(cells)
        count = sum(1 for h in header if h)
        if not count:
            continue
        if count > best[0]:
            best = (count, index, header)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best[1], best[2]


def _check_choice(
    label: str,
    choice: _HeaderChoice,
    header_row: int,
    *,
    require_email: bool,
    sheet: str | None,
) -> Columns:
    base = {"path": label, "columns": _list_columns(choice.header), "row": str(header_row)}
    if sheet is not None:
        base["sheet"] = sheet
    for role in ("nip", "email", "registered"):
        if role in choice.missing:
            raise TableError(
                "no-such-column", {**base, "role": role, "column": choice.missing[role]}
            )
    assigned = choice.assigned
    if "email" not in assigned and require_email:
        raise TableError("no-email-column", {**base, "nip_column": choice.header[assigned["nip"]]})
    return Columns(
        nip=assigned["nip"],
        email=assigned.get("email"),
        registered=assigned.get("registered"),
        name=assigned.get("name"),
        header=choice.header,
        carried=carried_columns(choice.header, assigned),
    )


def carried_columns(header: Sequence[str], assigned: Mapping[Role, int]) -> tuple[int, ...]:
    """The identifying columns a report carries: the name column first, then every other
    named column that is not checked, in sheet order, at most MAX_CARRIED_COLUMNS."""
    checked = {assigned[role] for role in ("nip", "email", "registered") if role in assigned}
    name = assigned.get("name")
    order = ([name] if name is not None else []) + [
        i for i, h in enumerate(header) if h and i not in checked and i != name
    ]
    return tuple(order[:MAX_CARRIED_COLUMNS])


def _no_header_error(
    label: str,
    rows: Sequence[Sequence[CellValue]],
    overrides: Mapping[Role, str],
    row_offset: int,
    sheet: str | None,
) -> TableError:
    index, header = _best_guess_header(rows)
    params = {"path": label, "columns": _list_columns(header), "row": str(index + row_offset)}
    if sheet is not None:
        params["sheet"] = sheet
    if "nip" in overrides:
        return TableError("no-such-column", {**params, "role": "nip", "column": overrides["nip"]})
    return TableError("no-nip-column", params)
