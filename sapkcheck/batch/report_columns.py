"""What a spreadsheet report carries besides the findings, decided before any row is read:
the identifying columns (``--carry``), the CSV delimiter (``--delimiter``), and the columns
a run used is ``tables.used``."""

from __future__ import annotations

from sapkcheck.batch.tables.model import Columns, Table
from sapkcheck.errors import UsageProblem

_DELIMITERS = {";": ";", ",": ",", "tab": "\t", "\t": "\t", "|": "|"}


def carried_columns(columns: Columns, carry: str | None) -> tuple[int, ...]:
    """The columns a report carries: ``--carry`` (comma-separated header names, matched
    without regard to case or surrounding spaces) when given, else the table's own choice
    (:attr:`Columns.carried`). An unknown name is a usage problem (exit 2)."""
    if carry is None:
        return columns.carried
    by_name: dict[str, int] = {}
    for index, header in enumerate(columns.header):
        if header:
            by_name.setdefault(header.casefold(), index)
    chosen: list[int] = []
    for name in (part.strip() for part in carry.split(",")):
        if not name:
            continue
        match = by_name.get(name.casefold())
        if match is None:
            found = ", ".join(header for header in columns.header if header)
            raise UsageProblem("error-carry-unknown", column=name, columns=found)
        if match not in chosen:
            chosen.append(match)
    return tuple(chosen)


def csv_delimiter(option: str | None, table: Table, lang: str) -> str:
    """``--delimiter`` when given; else the input's own (a ``;`` file gets a ``;`` report,
    which Excel in an Indonesian locale opens in columns); for an XLSX input ``;`` in
    Indonesian and ``,`` in English (the list separator of the usual Excel locale)."""
    if option is not None:
        delimiter = _DELIMITERS.get(option.strip().lower() if option.strip() else option)
        if delimiter is None:
            raise UsageProblem("error-delimiter")
        return delimiter
    if table.delimiter is not None:
        return table.delimiter
    return ";" if lang == "id" else ","
