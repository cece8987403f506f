"""Batch outputs: jsonl (a line per row, as checked), json (summary and the rows with
findings), csv (a line per finding, for Excel) and text (rows with errors, counts, summary).

Every writer streams: nothing but the summary counts and, for text, the first rows with
errors is held in memory.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from rich.console import Console
from rich.text import Text

from sapkcheck.batch.inert import inert
from sapkcheck.batch.masking import Masker, mask_email, mask_nip, mask_piece
from sapkcheck.batch.pipeline import RowOutput, Tally
from sapkcheck.batch.rows import RowResult
from sapkcheck.batch.tables.model import Row
from sapkcheck.findings import PERSONAL_PARAMS, Finding, Severity
from sapkcheck.knowledge.i18n import Catalog
from sapkcheck.render.console import print_indented, symbols_for
from sapkcheck.render.json_out import SCHEMA_VERSION, email_dict, finding_dict, nip_dict
from sapkcheck.render.text import visible

if TYPE_CHECKING:
    from sapkcheck.render.registered import RegisteredReport

TEXT_ROWS_SHOWN = 50


class Summary:
    """The run's counts, as the reports show them."""

    def __init__(self, tally: Tally, registered: RegisteredReport | None = None) -> None:
        self.tally = tally
        self.registered = registered  # --registered-file: summary.registered_file

    @property
    def by_code(self) -> dict[str, int]:
        return {code: count for code, count in self.tally.by_code.items() if count > 0}

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.tally.rows,
            "ok": self.tally.ok,
            "warn": self.tally.warn,
            "fail": self.tally.fail,
            "by_code": dict(sorted(self.by_code.items())),
        }


class RecordBuilder:
    """A row's JSON object (the ``check`` shapes), masked when asked."""

    def __init__(self, text: Catalog, context: dict[str, str], mask: bool) -> None:
        self.text, self.context, self.mask = text, context, mask

    def masker(self, result: RowResult) -> Masker | None:
        """Replaces the row's whole values wherever a sentence might still hold them (the
        pieces a message quotes are masked before it is phrased: see :meth:`findings`)."""
        if not self.mask:
            return None
        personal = [result.nip_key, result.email_key, result.fixed_registered]
        if result.nip is not None:
            personal += [result.nip.input, result.nip.normalized]
        if result.email is not None:
            personal += [result.email.input, result.email.normalized, result.email.registered]
            personal += list(result.email.suggestions)
        return Masker(personal)

    def findings(self, result: RowResult) -> list[Finding]:
        """The row's findings; with --mask, every parameter that quotes what a person typed
        (``PERSONAL_PARAMS``: NIP, email, birth date, TMT, age…) is masked before the
        sentence is built, so no substring search can miss a piece or hit a position."""
        if not self.mask:
            return list(result.findings)
        return [
            dataclasses.replace(
                finding,
                params={
                    name: mask_piece(value) if _personal(name, value) else value
                    for name, value in finding.params.items()
                },
            )
            for finding in result.findings
        ]

    def record(self, result: RowResult) -> dict[str, Any]:
        hide = self.masker(result)
        nip = nip_dict(result.nip) if result.nip is not None else None
        email = email_dict(result.email) if result.email is not None else None
        if hide is not None:
            if nip is not None:
                nip["input"] = hide(nip["input"])
                nip["normalized"] = mask_nip(nip["normalized"]) if nip["normalized"] else None
                # Digits 1-18 decoded: each would rebuild part of the NIP.
                for key in ("birth_date", "appointed", "sex", "serial", "contract"):
                    nip[key] = None
            if email is not None:
                for key in ("input", "normalized", "registered"):
                    email[key] = mask_email(email[key]) if email[key] else email[key]
                email["suggestions"] = [mask_email(s) for s in email["suggestions"]]
        findings = [finding_dict(f, self.text, self.context) for f in self.findings(result)]
        if hide is not None:
            for shape in findings:
                shape["message"] = hide(shape["message"])
                shape["remedy"] = hide(shape["remedy"]) if shape["remedy"] else shape["remedy"]
        return {
            "row": result.row,
            "nip": nip,
            "email": email,
            "status": result.status,
            "findings": findings,
        }


def _dumps(document: Any, ascii_only: bool = False) -> str:
    return json.dumps(document, ensure_ascii=ascii_only)


class JsonRecordRenderer:
    """A row as one JSON object (jsonl: every row; json: rows with findings only)."""

    def __init__(self, records: RecordBuilder, only_findings: bool, ascii_only: bool) -> None:
        # ascii_only: \u escapes keep the JSON valid on a stdout that is not UTF-8
        self.records, self.only_findings, self.ascii_only = records, only_findings, ascii_only

    def __call__(self, result: RowResult) -> str | None:
        if self.only_findings and not result.findings:
            return None
        return _dumps(self.records.record(result), self.ascii_only)


CSV_COLUMNS = ("row", "nip", "email", "code", "severity", "message", "remedy", "faq")


class CsvRenderer:
    """A row as CSV lines, one per finding."""

    def __init__(self, records: RecordBuilder) -> None:
        self.records = records

    def __call__(self, result: RowResult) -> str | None:
        if not result.findings:
            return None
        record = self.records.record(result)
        nip = (record["nip"] or {}).get("input") or ""
        email = (record["email"] or {}).get("input") or ""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for finding in record["findings"]:
            # Every cell a person could have typed into (messages quote values too) is made
            # inert: a spreadsheet never runs it.
            writer.writerow(
                (
                    record["row"],
                    inert(nip),
                    inert(email),
                    finding["code"],
                    finding["severity"],
                    inert(finding["message"]),
                    inert(finding["remedy"] or ""),
                    finding["faq"] or "",
                )
            )
        return buffer.getvalue()


class NoFragment:
    """Text reports render only the few rows they show, in the main process."""

    def __call__(self, result: RowResult) -> str | None:
        return None


def _personal(name: str, value: object) -> bool:
    # "expected" is the email a hint expects (personal) or, as a number, the NIP length.
    return name in PERSONAL_PARAMS and not (name == "expected" and isinstance(value, int))


Recheck = Callable[[Row], RowResult]


class Sink(Protocol):
    def add(self, output: RowOutput, row: Row) -> None: ...
    def close(self, summary: Summary) -> None: ...


class FragmentSink:
    """jsonl and csv: the fragments as they come."""

    def __init__(self, stream: TextIO, header: str = "") -> None:
        self.stream = stream
        stream.write(header)

    def add(self, output: RowOutput, row: Row) -> None:
        if output.fragment is not None:
            self.stream.write(output.fragment)
            if not output.fragment.endswith("\n"):
                self.stream.write("\n")

    def close(self, summary: Summary) -> None:
        self.stream.flush()


def csv_header(bom: bool) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(CSV_COLUMNS)
    return ("\ufeff" if bom else "") + buffer.getvalue()  # Excel reads UTF-8 only with a BOM


class JsonSink:
    """One document; records stream out as they come, the summary follows them."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0
        stream.write(f'{{"schema_version": {SCHEMA_VERSION}, "records": [')

    def add(self, output: RowOutput, row: Row) -> None:
        if output.fragment is None:
            return
        self.stream.write(("," if self.count else "") + "\n  " + output.fragment)
        self.count += 1

    def close(self, summary: Summary) -> None:
        end = "\n" if self.count else ""
        document = _dumps(summary.as_dict(), True)
        if summary.registered is None:
            self.stream.write(f'{end}], "summary": {document}}}\n')
        else:
            self.stream.write(f'{end}], "summary": {document[:-1]}, "registered_file": ')
            summary.registered.write_json(self.stream)
            self.stream.write("}}\n")
        self.stream.flush()


class TextSink:
    """Rows with errors (the first few), a count per code, a one-line summary."""

    def __init__(
        self, console: Console, records: RecordBuilder, text: Catalog, recheck: Recheck
    ) -> None:
        self.console, self.records, self.text, self.recheck = console, records, text, recheck
        self.shown = 0
        self.more = 0

    def add(self, output: RowOutput, row: Row) -> None:
        if output.status != "fail":
            return
        if self.shown >= TEXT_ROWS_SHOWN:
            self.more += 1
            return
        if self.shown == 0:
            self.console.print(Text(self.text.ui("batch-title"), "bold"))
        self.shown += 1
        marks = symbols_for(self.console.file)  # type: ignore[arg-type]
        record = self.records.record(self.recheck(row))
        label = Text(self.text.ui("batch-row", row=output.row), "bold")
        for part in ("nip", "email"):
            value = (record[part] or {}).get("input")
            if value:
                label.append("  ")
                label.append_text(visible(value, [], marks))
        self.console.print(label)
        for finding in record["findings"]:
            if finding["severity"] != Severity.ERROR:
                continue
            line = Text(f"{marks.error} [{finding['code']}] ", "red")
            line.append(finding["message"])
            print_indented(self.console, line, 2)

    def close(self, summary: Summary) -> None:
        if self.more:
            self.console.print(
                Text(self.text.ui("batch-more", count=self.text.number(self.more)), "dim")
            )
        if summary.by_code:
            self.console.print()
            self.console.print(Text(self.text.ui("batch-by-code"), "bold"))
            width = max(len(code) for code in summary.by_code)
            ranked = sorted(summary.by_code.items(), key=lambda item: (-item[1], item[0]))
            for code, count in ranked:
                self.console.print(Text(f"  {code.ljust(width)}  {self.text.number(count):>8}"))
            self.console.print()


def summary_line(summary: Summary, text: Catalog) -> str:
    tally = summary.tally
    counts = {"rows": tally.rows, "ok": tally.ok, "warn": tally.warn, "fail": tally.fail}
    return text.ui("batch-summary", **{name: text.number(n) for name, n in counts.items()})
