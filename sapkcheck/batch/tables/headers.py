"""Finding the header row and the NIP/email/registered/name columns by name
(``data/columns.toml``)."""

from __future__ import annotations

import dataclasses
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sapkcheck.batch.masking import looks_personal
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
from sapkcheck.checks.nip import NIP_LENGTH
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


@dataclass(frozen=True, slots=True)
class _Label:
    """One header column: its label as reports show it (``Parent / Child`` under a two-row
    header) and the texts role matching compares, best first."""

    label: str
    keys: tuple[str, ...]  # normalized: the child (or the only label), then parent + child
    words: tuple[tuple[str, ...], ...]  # the same, as words, for the keyword rules
    names: tuple[str, ...]  # normalized names an explicit --...-column may give


def _single_labels(header: Sequence[str]) -> tuple[_Label, ...]:
    out = []
    for text in header:
        norm = normalize_header(text)
        out.append(_Label(text, (norm,), (_words(text),), (norm,)))
    return tuple(out)


def _two_row_labels(parent: Sequence[str], child: Sequence[str]) -> tuple[_Label, ...] | None:
    """Labels of a two-row header (a parent row over a row of sub-labels), or None when
    ``child`` is not a row of sub-labels under ``parent``.

    A parent label spans the columns to its right whose parent cell is blank (an XLSX merged
    cell, a CSV export leaving it blank) or repeats it, as long as they have a sub-label.
    A column with no sub-label keeps its parent label (a cell merged down over both rows);
    a column blank in both rows is a spacer.
    """
    if not any(child) or not _sub_labels(child):
        return None
    width = max(len(parent), len(child))
    top = [*parent, *([""] * (width - len(parent)))]
    sub = [*child, *([""] * (width - len(child)))]
    spans: list[str] = []
    current = ""
    for p, c in zip(top, sub, strict=True):
        if p:
            current = p if c else ""
        elif not c:
            current = ""
        spans.append(p or current)
    grouped = any(
        sub[j] and sub[j + 1] and spans[j] and spans[j] == spans[j + 1] for j in range(width - 1)
    )
    if not grouped:
        return None
    out = []
    for p, c in zip(spans, sub, strict=True):
        if not c:
            out.append(_single_labels([p])[0])
        elif not p or normalize_header(p) == normalize_header(c):
            out.append(_single_labels([c])[0])
        else:
            both = f"{p} {c}"
            keys = (normalize_header(c), normalize_header(both))
            out.append(_Label(f"{p} / {c}", keys, (_words(c), _words(both)), keys))
    return tuple(out)


def _sub_labels(cells: Sequence[str]) -> bool:
    """Could this row be sub-labels (text only, nothing a data row holds: no address, no
    run of 8 digits or more, no bare number)?"""
    for text in cells:
        if not text:
            continue
        if "@" in text or "\uff20" in text or text.replace(".", "").replace(",", "").isdigit():
            return False
        if any(len(run) >= 8 for run in _WORD.findall(text) if run.isdigit()):
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Detected:
    assigned: dict[Role, int]
    missing: dict[Role, str]  # overrides that matched no column
    ambiguous: tuple[tuple[Role, int, int], ...]  # (role, chosen, equally good other)


def _detect(
    header: Sequence[str] | Sequence[_Label], overrides: Mapping[Role, str]
) -> tuple[dict[Role, int], dict[Role, str]]:
    """Assign columns to roles. Returns (assignments, overrides that matched no column)."""
    found = _detect_labels(_as_labels(header), overrides)
    return found.assigned, found.missing


def _as_labels(header: Sequence[str] | Sequence[_Label]) -> tuple[_Label, ...]:
    if all(isinstance(h, _Label) for h in header):
        return tuple(h for h in header if isinstance(h, _Label))
    return _single_labels([h for h in header if isinstance(h, str)])


def _detect_labels(labels: Sequence[_Label], overrides: Mapping[Role, str]) -> _Detected:
    rules = column_rules()
    assigned: dict[Role, int] = {}
    used: set[int] = set()
    missing: dict[Role, str] = {}
    ambiguous: list[tuple[Role, int, int]] = []
    count = len(labels)

    def take(role: Role, index: int | None) -> bool:
        if index is None:
            return False
        assigned[role] = index
        used.add(index)
        return True

    def matching(pred: Any) -> list[int]:
        return [i for i in range(count) if i not in used and pred(i)]

    for role, name in overrides.items():
        target = normalize_header(name)
        hits = matching(lambda i, target=target: bool(target) and target in labels[i].names)
        if not hits:  # no such header: a column letter (two columns with one header)
            index = column_index(name)
            hits = [index] if index is not None and index < count and index not in used else []
        if not take(role, hits[0] if hits else None):
            missing[role] = name
    for role in ROLE_ORDER:
        if role in overrides:
            continue
        for alias in rules[role].exact:
            hits = matching(lambda i, alias=alias: alias in labels[i].keys)
            if take(role, hits[0] if hits else None):
                if len(hits) > 1:
                    ambiguous.append((role, hits[0], hits[1]))
                break
    for role in ROLE_ORDER:
        rule = rules[role]
        if role in overrides or role in assigned or not rule.keywords:
            continue
        hits = matching(lambda i, rule=rule: any(rule.matches_keywords(w) for w in labels[i].words))
        if take(role, hits[0] if hits else None) and len(hits) > 1:
            ambiguous.append((role, hits[0], hits[1]))
    # An equally good column later taken by another role was no real competitor.
    real = tuple(a for a in ambiguous if a[2] not in assigned.values() and a[0] != "name")
    return _Detected(assigned, missing, real)


def column_index(name: str) -> int | None:
    """``"D"`` -> 3: a column as Excel letters it (A to XFD), None if ``name`` is not one."""
    letters = name.strip().upper()
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        return None
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def column_letter(index: int) -> str:
    """3 -> ``"D"``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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
    index: int  # 0-based physical row of the (last) header row among the rows searched
    header: tuple[str, ...]  # the labels (``Parent / Child`` under a two-row header)
    assigned: dict[Role, int]
    missing: dict[Role, str]
    top: int = -1  # 0-based first header row (== index for a one-row header; -1: index)
    ambiguous: tuple[tuple[Role, int, int], ...] = ()

    @property
    def first(self) -> int:
        return self.index if self.top < 0 else self.top


def _choice_at(
    rows: Sequence[Sequence[CellValue]],
    index: int,
    overrides: Mapping[Role, str],
    searched: bool = True,
) -> _HeaderChoice:
    """Row ``index`` as the header, with the next row as its sub-labels when it is one;
    ``searched`` (not named by ``--header-row``): or with the row above as its parent."""
    texts = _header_texts(rows[index])
    if index + 1 < len(rows):
        two = _two_row_labels(texts, _header_texts(rows[index + 1]))
        if two is not None:
            found = _detect_labels(two, overrides)
            if "nip" in found.assigned:
                header = tuple(label.label for label in two)
                return _HeaderChoice(
                    index + 1, header, found.assigned, found.missing, index, found.ambiguous
                )
    found = _detect_labels(_single_labels(texts), overrides)
    if searched and index >= 1:
        # the row naming NIP may itself be the sub-labels: a parent row above it holds the
        # columns merged down over both rows ("No | Data Pegawai | Email" over "| NIP | Nama |")
        above = _header_texts(rows[index - 1])
        # labels over it: two cells or more (not a title over it all), nothing a person's
        # line holds ("Dibuat oleh: Budi Santoso | Email: budi@…": a label and its value)
        parent = (
            sum(1 for text in above if text) >= 2
            and _sub_labels(above)
            and not any(":" in text for text in above)
        )
        two = _two_row_labels(above, texts) if parent and not holds_nip(above) else None
        if two is not None:
            parented = _detect_labels(two, overrides)
            # only what the parent row names over a blank sub-label (merged down) may add a
            # column: a parent's words over a sub-label ("DAFTAR EMAIL … / No") never do
            gained = [
                column
                for role, column in parented.assigned.items()
                if found.assigned.get(role) != column
            ]
            merged_down = not any(c < len(texts) and texts[c] for c in gained)
            if "nip" in parented.assigned and gained and merged_down:
                header = tuple(label.label for label in two)
                return _HeaderChoice(
                    index, header, parented.assigned, parented.missing, index - 1,
                    parented.ambiguous,
                )  # fmt: skip
    return _HeaderChoice(index, texts, found.assigned, found.missing, index, found.ambiguous)


def _numbered(rows: Sequence[Sequence[CellValue]], choice: _HeaderChoice) -> _HeaderChoice:
    """The header with the row under it when that row numbers the columns (government
    forms print ``1 2 3 …`` or ``(1) (2) (3) …`` there): part of the head, not a person."""
    below = choice.index + 1
    if below < len(rows) and _numbering_row(rows[below], choice.header):
        return dataclasses.replace(choice, index=below, top=choice.first)
    return choice


_COLUMN_NUMBER = re.compile(r"\(?([0-9]{1,3})\)?\.?")


def _numbering_row(cells: Sequence[CellValue], header: Sequence[str]) -> bool:
    """Consecutive column numbers from 0 or 1, at least two and under at least half of the
    header's named columns, and nothing else."""
    numbers: list[int] = []
    for text in _header_texts(cells):
        if not text:
            continue
        match = _COLUMN_NUMBER.fullmatch(text)
        if match is None:
            return False
        numbers.append(int(match.group(1)))
    named = sum(1 for label in header if label)
    return (
        len(numbers) >= max(2, (named + 1) // 2)
        and numbers[0] in (0, 1)
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    )


_SCIENTIFIC = re.compile(r"[0-9][.,][0-9]+[eE]\+?[0-9]{1,3}")
# and a label's colon glued to the number ("NIP | : 196801011993031005")
_EXCEL_DRESSING = str.maketrans("", "", "'\":= \t\u00a0\u2007\u202f")
_NIP_SEPARATORS = str.maketrans("", "", ".-/")


def holds_nip(texts: Sequence[str]) -> bool:
    """A row no header can be: a cell that is a NIP, grouped or not ("19860926 201505 1
    001", "19860926.201505.1.001", "19860926/201505/1/001": 18 digits), or a number in
    Excel's scientific form (1,98609E+17). Not a title with letters ("NIP. 19650101 199003
    1 001"), a period of dates ("01/01/2024 - 31/12/2024"), an NPWP ("00.123.456.7-890.000")
    or a unit's code of 15 digits."""
    for text in texts:
        bare = text.translate(_EXCEL_DRESSING).removesuffix(".0")  # a float cell's text
        digits = bare.translate(_NIP_SEPARATORS)
        if len(digits) == NIP_LENGTH and digits.isdigit():
            return True
        if _SCIENTIFIC.fullmatch(text.strip(" '=\"")):
            return True
    return False


def _names_columns(
    header: Sequence[str], overrides: Mapping[Role, str], listed: bool = False
) -> bool:
    """Two labels or more, one naming a column sapkcheck knows (name, email), and nothing
    personal: column names, even though none is NIP's ("ID Pegawai | Nama | Email").
    ``listed`` (to be shown in an error): not a label beside a value of several words
    either ("Nama | Budi Santoso"; "No | Email" and "Nama Pegawai | Jabatan" are shown)."""
    filled = [text for text in header if text]
    if len(filled) < 2 or any(looks_personal(text) for text in filled):
        return False
    assigned = _detect(header, overrides)[0]
    if not assigned:
        return False
    if not listed or len(assigned) >= 2 or len(filled) >= 3:
        return True
    other = next(
        text for index, text in enumerate(header) if text and index not in assigned.values()
    )
    return len(other.split()) == 1


def _title_like(header: Sequence[str], overrides: Mapping[Role, str]) -> bool:
    """One filled cell that names NIP only in passing ("DAFTAR NIP PEGAWAI", a merged title
    over the table): a header only when no fuller row names NIP."""
    filled = [text for text in header if text]
    if len(filled) != 1:
        return False
    name = normalize_header(filled[0])
    if "nip" in overrides:
        return name != normalize_header(overrides["nip"])
    return name not in column_rules()["nip"].exact


HeadRow = Literal["blank", "header", "title", "person", "other"]


def head_row(cells: Sequence[CellValue], overrides: Mapping[Role, str]) -> HeadRow:
    """What a row above the data is to the header search: a header (names a NIP column),
    a title that names NIP in passing (a header only when no fuller row is), a person's
    row (the data has begun: a header comes before it or not at all), other text, blank."""
    header = _header_texts(cells)
    if not any(header):
        return "blank"
    if holds_nip(header):
        return "other" if _labelled_nip(header, overrides) else "person"
    assigned = _detect(header, overrides)[0]
    nip = assigned.get("nip")
    if nip is None or (len(assigned) == 1 and looks_personal(header[nip])):
        # the cell naming NIP also holds a number and names no other column: a letterhead's
        # "Kepala Dinas: Dr. Budi Santoso, NIP. 19650101 199003 1 001", text above the
        # table (a header's "NIP (contoh: 199001012015031001)" sits among other labels)
        return "other"
    return "title" if _title_like(header, overrides) else "header"


def _labelled_nip(header: Sequence[str], overrides: Mapping[Role, str]) -> bool:
    """A NIP beside its label and nothing else ("NIP | 198001012005011001", "NIP | : |
    198001012005011001": a signatory's line above the table), not a person's row."""
    filled = [text for text in header if any(ch.isalnum() for ch in text)]
    labels = [text for text in filled if not holds_nip([text])]
    return (
        len(filled) == 2
        and len(labels) == 1
        and not looks_personal(labels[0])
        and "nip" in _detect(labels, overrides)[0]
    )


# Rows a header may take below the row that names NIP: sub-labels, then column numbers.
ROWS_UNDER_HEADER = 2


def _search_head(
    rows: Sequence[Sequence[CellValue]], overrides: Mapping[Role, str]
) -> tuple[int | None, int | None]:
    """(the header's row index, the first person's row index) among the first
    HEADER_SEARCH_ROWS non-empty rows: the first header row, else the first title row.
    A person's row ends the search; it is the first person's only when no row of column
    names came before it (a header naming no NIP column is that, not a missing header)."""
    seen = 0
    title: int | None = None
    named = False  # a row of column names, none of them NIP's
    for index, cells in enumerate(rows):
        kind = head_row(cells, overrides)
        if kind == "blank":
            continue
        if kind == "person":
            return title, None if named else index
        if kind == "header":
            return index, None
        if kind == "title" and title is None:
            title = index
        if kind == "other" and not named:
            named = _names_columns(_header_texts(cells), overrides)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return title, None


def _find_header(
    rows: Sequence[Sequence[CellValue]],
    overrides: Mapping[Role, str],
    header_row: int | None = None,
) -> _HeaderChoice | None:
    """The first non-empty row (of the first HEADER_SEARCH_ROWS) that names a NIP column
    (a title-like one only if no other does), or row ``header_row`` (1-based) when given;
    a row of sub-labels under it, and a row numbering the columns, join it."""
    index = header_row - 1 if header_row is not None else _search_head(rows, overrides)[0]
    if index is None or not 0 <= index < len(rows) or not any(_header_texts(rows[index])):
        return None
    choice = _choice_at(rows, index, overrides, searched=header_row is None)
    return _numbered(rows, choice) if "nip" in choice.assigned else None


def header_row_problem(
    label: str,
    rows: Sequence[Sequence[CellValue]],
    header_row: int,
    sheet: str | None,
) -> TableError | None:
    """``--header-row N`` past the rows read, or naming an empty row: exit 2."""
    params = {"path": label, "row": str(header_row), "rows": str(len(rows))}
    if sheet is not None:
        params["sheet"] = sheet
    if not 1 <= header_row <= len(rows):
        return TableError("header-row-out-of-range", params)
    if not any(_header_texts(rows[header_row - 1])):
        return TableError("header-row-empty", params)
    return None


def _best_guess_header(
    rows: Sequence[Sequence[CellValue]], overrides: Mapping[Role, str]
) -> tuple[int, tuple[str, ...]]:
    """For error messages: among the searched rows above the first person's row, the one
    with the most cells that names columns (a label sapkcheck knows), else a one-cell
    title; never a row that may be a person's (a name, an address, 8 digits or more)."""
    best: tuple[int, int, tuple[str, ...]] = (0, 0, ())  # (rank, index, header)
    seen = 0
    for index, cells in enumerate(rows):
        header = _header_texts(cells)
        filled = [text for text in header if text]
        if not filled:
            continue
        if head_row(cells, overrides) == "person":  # the data has begun
            break
        if _names_columns(header, overrides, listed=True):
            rank = 1000 + len(filled)
        elif len(filled) == 1 and not looks_personal(filled[0]):
            rank = 1
        else:
            rank = 0  # a list of names or a person's values is never shown as columns
        if rank > best[0]:
            best = (rank, index, header)
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
        ambiguous=choice.ambiguous,
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
    index, header = _best_guess_header(rows, overrides)
    params = {"path": label, "columns": _list_columns(header), "row": str(index + row_offset)}
    if sheet is not None:
        params["sheet"] = sheet
    if "nip" in overrides:
        return TableError("no-such-column", {**params, "role": "nip", "column": overrides["nip"]})
    return TableError("no-nip-column", params)


def _first_person_row(
    rows: Sequence[Sequence[CellValue]], overrides: Mapping[Role, str]
) -> int | None:
    """The first row that holds a NIP when no row before it names a NIP column (the table
    has no header row)."""
    index, person = _search_head(rows, overrides)
    return person if index is None else None


# A person's row where the header should be: found there, or named by --header-row.
PersonRowProblem = Literal["person-row", "header-row-person"]


def _person_row_error(
    kind: PersonRowProblem,
    label: str,
    cells: Sequence[CellValue],
    row: int,
    sheet: str | None,
) -> TableError:
    """A person's row where the header should be (found there, or named by
    ``--header-row``): named by its row and the column of its NIP, never by its values
    (they identify the person)."""
    texts = _header_texts(cells)
    column = next(i for i, text in enumerate(texts) if holds_nip([text]))
    params = {"path": label, "row": str(row), "column": column_letter(column)}
    if sheet is not None:
        params["sheet"] = sheet
    return TableError(kind, params)


def choose_columns(
    label: str,
    rows: Sequence[Sequence[CellValue]],
    overrides: Mapping[Role, str],
    *,
    header_row: int | None,
    require_email: bool,
    sheet: str | None,
) -> tuple[_HeaderChoice, Columns]:
    """The header (found, or row ``header_row``) and its columns, from the first rows of a
    table (``rows[0]`` is row 1). Raises :class:`TableError` before any data row is read."""
    if header_row is not None:
        problem = header_row_problem(label, rows, header_row, sheet)
        if problem is not None:
            raise problem
    person = header_row - 1 if header_row is not None else _first_person_row(rows, overrides)
    if person is not None and holds_nip(_header_texts(rows[person])):
        kind: PersonRowProblem = "person-row" if header_row is None else "header-row-person"
        raise _person_row_error(kind, label, rows[person], person + 1, sheet)
    choice = _find_header(rows, overrides, header_row)
    if choice is None:
        if header_row is None:
            raise _no_header_error(label, rows, overrides, 1, sheet)
        raise _no_header_error(label, [rows[header_row - 1]], overrides, header_row, sheet)
    columns = _check_choice(
        label, choice, choice.first + 1, require_email=require_email, sheet=sheet
    )
    return choice, columns
