"""Which sheet, header row and columns a run read: what every report states first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from sapkcheck.batch.tables.headers import column_letter
from sapkcheck.batch.tables.model import Role, Table

# The option that decides when two columns are equally good for a role.
ROLE_OPTIONS: Final[dict[Role, str]] = {
    "nip": "--nip-column",
    "email": "--email-column",
    "registered": "--registered-column",
    "name": "",
}


@dataclass(frozen=True, slots=True)
class Ambiguity:
    role: Role
    chosen: str  # the column label used
    other: str  # the equally good column left unused
    option: str  # the option that decides
    chosen_column: str  # the columns as Excel letters them (A, B, ...)
    other_column: str


@dataclass(frozen=True, slots=True)
class ColumnsUsed:
    sheet: str | None  # None for CSV
    header_row: int  # the header's (first) row as Excel numbers it
    header_rows: int  # 1 to 3: a parent row over sub-labels, a column-number row under them
    nip: str
    email: str | None
    registered: str | None
    carried: tuple[str, ...]
    ambiguous: tuple[Ambiguity, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract ``summary.columns`` (README, "JSON output")."""
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "header_rows": self.header_rows,
            "nip": self.nip,
            "email": self.email,
            "registered": self.registered,
            "carried": list(self.carried),
            "ambiguous": [
                {
                    "role": a.role,
                    "columns": [a.chosen, a.other],
                    "letters": [a.chosen_column, a.other_column],
                    "option": a.option,
                }
                for a in self.ambiguous
            ],
        }


def columns_used(table: Table, carried: tuple[int, ...] | None = None) -> ColumnsUsed:
    """Labels as the header shows them (``Parent / Child`` under a two-row header);
    ``carried``: the columns the reports carry (``--carry``), else the table's own choice."""
    columns = table.columns
    if carried is None:
        carried = columns.carried
    header = columns.header

    def label(index: int | None) -> str | None:
        return None if index is None else header[index]

    return ColumnsUsed(
        sheet=table.sheet,
        header_row=table.header_row,
        header_rows=table.header_rows,
        nip=header[columns.nip],
        email=label(columns.email),
        registered=label(columns.registered),
        carried=tuple(header[i] for i in carried),
        ambiguous=tuple(
            Ambiguity(
                role,
                header[chosen],
                header[other],
                ROLE_OPTIONS[role],
                column_letter(chosen),
                column_letter(other),
            )
            for role, chosen, other in columns.ambiguous
        ),
    )
