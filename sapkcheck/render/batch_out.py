"""Batch outputs: jsonl (a line per row, as checked), json (summary and the rows with
findings), csv (a line per finding, for Excel) and text (rows with errors, counts, summary).

Every writer streams: nothing but the summary counts and, for text, the first rows with
errors is held in memory.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.text import Text

from sapkcheck.batch import RowResult
from sapkcheck.findings import Severity
from sapkcheck.i18n import Catalog
from sapkcheck.masking import Masker, mask_email, mask_nip
from sapkcheck.render.console import print_indented, symbols_for
from sapkcheck.render.json_out import SCHEMA_VERSION, email_dict, nip_dict

TEXT_ROWS_SHOWN = 50


@dataclass
class Summary:
    rows: int = 0
    ok: int = 0
    warn: int = 0
    fail: int = 0
    by_code: Counter[str] = field(default_factory=Counter)

    def add(self, result: RowResult) -> None:
        self.rows += 1
        setattr(self, result.status, getattr(self, result.status) + 1)
        self.by_code.update(f.code for f in result.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "ok": self.ok,
            "warn": self.warn,
            "fail": self.fail,
            "by_code": dict(sorted(self.by_code.items())),
        }


class RecordBuilder:
    """A row's JSON object (the ``check`` shapes), masked when asked."""

    def __init__(self, text: Catalog, context: dict[str, str], mask: bool) -> None:
        self.text, self.context, self.mask = text, context, mask

    def masker(self, result: RowResult) -> Masker | None:
        if not self.mask:
            return None
        personal: list[str | None] = [result.nip_key, result.email_key, result.fixed_registered]
        if result.nip is not None:
            personal += [result.nip.input, result.nip.normalized]
        if result.email is not None:
            personal += [result.email.input, result.email.normalized, result.email.registered]
            personal += list(result.email.suggestions)
        return Masker(personal)

    def record(self, result: RowResult) -> dict[str, Any]:
        hide = self.masker(result)
        nip = nip_dict(result.nip) if result.nip is not None else None
        email = email_dict(result.email) if result.email is not None else None
        if hide is not None:
            if nip is not None:
                nip["input"] = hide(nip["input"])
                nip["normalized"] = mask_nip(nip["normalized"]) if nip["normalized"] else None
                nip["birth_date"] = None
            if email is not None:
                for key in ("input", "normalized", "registered"):
                    email[key] = mask_email(email[key]) if email[key] else email[key]
                email["suggestions"] = [mask_email(s) for s in email["suggestions"]]
        findings = []
        for finding in result.findings:
            message = self.text.message(finding, self.context)
            remedy = self.text.remedy(finding, self.context)
            findings.append(
                {
                    "code": finding.code,
                    "severity": str(finding.severity),
                    "field": finding.field,
                    "message": hide(message) if hide else message,
                    "remedy": hide(remedy) if hide else remedy,
                    "faq": finding.faq,
                    "span": list(finding.span) if finding.span else None,
                }
            )
        return {
            "row": result.row,
            "nip": nip,
            "email": email,
            "status": result.status,
            "findings": findings,
        }


class Sink(Protocol):
    def add(self, result: RowResult) -> None: ...
    def close(self, summary: Summary) -> None: ...


def _dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False)


class JsonlSink:
    def __init__(self, stream: TextIO, records: RecordBuilder) -> None:
        self.stream, self.records = stream, records

    def add(self, result: RowResult) -> None:
        self.stream.write(_dumps(self.records.record(result)) + "\n")

    def close(self, summary: Summary) -> None:
        self.stream.flush()


class JsonSink:
    """One document; records stream out as they come, the summary follows them."""

    def __init__(self, stream: TextIO, records: RecordBuilder) -> None:
        self.stream, self.records = stream, records
        self.count = 0
        stream.write(f'{{"schema_version": {SCHEMA_VERSION}, "records": [')

    def add(self, result: RowResult) -> None:
        if not result.findings:
            return
        self.stream.write(
            ("," if self.count else "") + "\n  " + _dumps(self.records.record(result))
        )
        self.count += 1

    def close(self, summary: Summary) -> None:
        self.stream.write(
            ("\n" if self.count else "") + f'], "summary": {_dumps(summary.as_dict())}}}\n'
        )
        self.stream.flush()


CSV_COLUMNS = ("row", "nip", "email", "code", "severity", "message", "remedy", "faq")


class CsvSink:
    def __init__(self, stream: TextIO, records: RecordBuilder, bom: bool) -> None:
        if bom:
            stream.write("\ufeff")  # Excel reads UTF-8 only with it
        self.writer = csv.writer(stream, lineterminator="\r\n")
        self.writer.writerow(CSV_COLUMNS)
        self.stream, self.records = stream, records

    def add(self, result: RowResult) -> None:
        if not result.findings:
            return
        record = self.records.record(result)
        nip = (record["nip"] or {}).get("input") or ""
        email = (record["email"] or {}).get("input") or ""
        for finding in record["findings"]:
            self.writer.writerow(
                (
                    record["row"],
                    _no_formula(nip),
                    _no_formula(email),
                    finding["code"],
                    finding["severity"],
                    finding["message"],
                    finding["remedy"] or "",
                    finding["faq"] or "",
                )
            )

    def close(self, summary: Summary) -> None:
        self.stream.flush()


def _no_formula(value: str) -> str:
    """Excel runs cells starting with = + - @ as formulas: keep user data inert."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


class TextSink:
    """Rows with errors (the first few), a count per code, a one-line summary."""

    def __init__(self, console: Console, records: RecordBuilder, text: Catalog) -> None:
        self.console, self.records, self.text = console, records, text
        self.shown = 0
        self.more = 0

    def add(self, result: RowResult) -> None:
        if result.status != "fail":
            return
        if self.shown >= TEXT_ROWS_SHOWN:
            self.more += 1
            return
        if self.shown == 0:
            self.console.print(Text(self.text.ui("batch-title"), "bold"))
        self.shown += 1
        marks = symbols_for(self.console.file)  # type: ignore[arg-type]
        record = self.records.record(result)
        label = Text(self.text.ui("batch-row", row=result.row), "bold")
        nip = (record["nip"] or {}).get("input")
        email = (record["email"] or {}).get("input")
        for value in (nip, email):
            if value:
                label.append("  " + value.strip())
        self.console.print(label)
        for finding in record["findings"]:
            if finding["severity"] != Severity.ERROR:
                continue
            line = Text(f"{marks.error} [{finding['code']}] ", "red")
            line.append(finding["message"])
            print_indented(self.console, line, 2)

    def close(self, summary: Summary) -> None:
        if self.more:
            self.console.print(Text(self.text.ui("batch-more", count=self.more), "dim"))
        if summary.by_code:
            self.console.print()
            self.console.print(Text(self.text.ui("batch-by-code"), "bold"))
            width = max(len(code) for code in summary.by_code)
            for code, count in sorted(
                summary.by_code.items(), key=lambda item: (-item[1], item[0])
            ):
                self.console.print(Text(f"  {code.ljust(width)}  {count:>8}"))
            self.console.print()


def summary_line(summary: Summary, text: Catalog) -> str:
    return text.ui(
        "batch-summary", rows=summary.rows, ok=summary.ok, warn=summary.warn, fail=summary.fail
    )
