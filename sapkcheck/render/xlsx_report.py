"""The XLSX report (``--format xlsx``): a workbook an admin opens in Excel or Calc.

- ``Hasil`` / ``Results``: a line per row of the input, every row (so the admin sees
  everyone's status, not only the people with problems): the row number, the carried
  identifying columns, NIP (always a text cell), email, status, the finding codes, their
  messages, the remedies and a message for that staff member to paste into WhatsApp. The
  NIP and email cells a finding is about are coloured by its severity; autofilter, frozen
  header, fixed widths. Past Excel's 1,048,576 rows the lines continue on ``Hasil 2``, …
- ``Ringkasan`` / ``Summary``: the counts per status and per code (the JSON summary's),
  the columns used, the profile, the date, a bar chart of the most frequent codes.
- ``Kode`` / ``Codes``: what each code present means and how to fix it (the catalogs).

Written by xlsxwriter in ``constant_memory`` mode: each row goes to a temp file as it comes
(measured against openpyxl ``write_only`` in ``benchmarks/xlsx_report.py``). Cells are
written with ``write_string``: nothing a person typed can become a formula or a number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter

from sapkcheck.batch.pipeline import RowOutput, RowRenderer
from sapkcheck.batch.rows import RowResult
from sapkcheck.batch.tables.model import Row
from sapkcheck.findings import CODES, Severity
from sapkcheck.knowledge.i18n import fill
from sapkcheck.render.batch import RecordBuilder, ReportSettings, Summary, name_column
from sapkcheck.render.registered import RegisteredReport
from sapkcheck.render.reply import staff_body, staff_message

SHEET_ROWS = 1_048_576  # Excel's rows per sheet, the header included
TOP_CODES = 10  # codes in the summary's chart
_FILLS = {Severity.ERROR: "#FFC7CE", Severity.WARNING: "#FFEB9C"}
_SEVERITY_RANK = {Severity.ERROR: 2, Severity.WARNING: 1}
# Widths in characters: row, a carried column, NIP, email, status, codes, messages,
# remedies, the message for the staff member.
_WIDTHS = {"row": 7, "carried": 24, "nip": 22, "email": 32, "status": 12, "codes": 28}
_WIDE = 60
# A code's remedy quotes a finding's values ({suggestion}); the Codes sheet has none.
_UNFILLED = re.compile(r"\{[a-z_]+\}")


class XlsxRenderer(RowRenderer):
    """A row's report cells (in a worker), as JSON: NIP and email as written (masked with
    ``--mask``), status, codes, messages, remedies, the body of the staff member's message,
    and the severity of the findings about the NIP and about the email (None: no fault)."""

    def __init__(self, records: RecordBuilder) -> None:
        self.records = records

    def __call__(self, result: RowResult, row: Row) -> str | None:
        records = self.records
        record = records.record(result)
        body = staff_body(records.findings(result), records.text, records.context)
        hide = records.masker(result)
        if hide is not None:
            body = hide(body) or ""
        findings = record["findings"]
        remedies = list(dict.fromkeys(f["remedy"] for f in findings if f["remedy"]))
        return json.dumps(
            [
                (record["nip"] or {}).get("input") or "",
                (record["email"] or {}).get("input") or "",
                record["status"],
                ", ".join(f["code"] for f in findings),
                "\n".join(f["message"] for f in findings),
                "\n".join(remedies),
                body,
                _worst(result, "nip"),
                _worst(result, "email"),
            ],
            ensure_ascii=False,
        )


def _worst(result: RowResult, field: str) -> str | None:
    """The most severe error or warning about ``field``, or None."""
    worst: Severity | None = None
    for finding in result.findings:
        rank = _SEVERITY_RANK.get(finding.severity, 0)
        if finding.field == field and rank > _SEVERITY_RANK.get(worst, 0):  # type: ignore[arg-type]
            worst = finding.severity
    return None if worst is None else str(worst)


class XlsxSink:
    """The workbook, written to ``stream`` at :meth:`close` (rows stream to xlsxwriter's
    temp files meanwhile)."""

    def __init__(
        self,
        stream: BinaryIO,
        settings: ReportSettings,
        *,
        scratch: Path,
        context: Mapping[str, str],
        columns_used: Mapping[str, Any],
        profile: str,
        today: date,
    ) -> None:
        self.settings, self.text, self.context = settings, settings.text, context
        self.columns_used, self.profile, self.today = columns_used, profile, today
        self.book = xlsxwriter.Workbook(
            stream,
            {"constant_memory": True, "strings_to_numbers": False, "tmpdir": str(scratch)},
        )
        self.bold = self.book.add_format({"bold": True})
        self.header = self.book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.top = self.book.add_format({"valign": "top"})
        self.fault = {
            str(severity): self.book.add_format({"bg_color": color, "valign": "top"})
            for severity, color in _FILLS.items()
        }
        carried = [settings.columns.header[index] for index in settings.carried]
        text = self.text
        self.headers = [
            text.ui("report-row"),
            *carried,
            text.ui("report-nip"),
            text.ui("report-email"),
            text.ui("report-status"),
            text.ui("report-codes"),
            text.ui("report-message"),
            text.ui("report-remedy"),
            text.ui("report-staff"),
        ]
        kinds = ["row", *(["carried"] * len(carried)), "nip", "email", "status", "codes"]
        self.widths = [_WIDTHS[kind] for kind in kinds] + [_WIDE] * 3
        self.sheets: list[Any] = []
        self.line = SHEET_ROWS  # the next line to write: a new sheet first

    def _new_sheet(self) -> Any:
        base = self.text.ui("report-sheet-results")
        name = base if not self.sheets else f"{base} {len(self.sheets) + 1}"
        sheet = self.book.add_worksheet(name)
        for column, width in enumerate(self.widths):
            sheet.set_column(column, column, width)
        for column, title in enumerate(self.headers):
            sheet.write_string(0, column, title, self.header)
        sheet.freeze_panes(1, 0)
        self.sheets.append(sheet)
        self.line = 1
        return sheet

    def add(self, output: RowOutput, row: Row) -> None:
        if output.fragment is None:
            return
        if self.line >= SHEET_ROWS:
            self._finish_sheet()
            self._new_sheet()
        sheet, line = self.sheets[-1], self.line
        nip, email, status, codes, messages, remedies, body, nip_bad, email_bad = json.loads(
            output.fragment
        )
        settings = self.settings
        sheet.write_number(line, 0, output.row, self.top)
        column = 1
        for value in settings.carried_values(row):
            sheet.write_string(line, column, value, self.top)
            column += 1
        sheet.write_string(line, column, nip, self.fault.get(nip_bad, self.top))
        sheet.write_string(line, column + 1, email, self.fault.get(email_bad, self.top))
        sheet.write_string(line, column + 2, self.text.ui(f"status-{status}"), self.top)
        sheet.write_string(line, column + 3, codes, self.wrap)
        sheet.write_string(line, column + 4, messages, self.wrap)
        sheet.write_string(line, column + 5, remedies, self.wrap)
        name = None if settings.mask else self._name(row)
        sheet.write_string(line, column + 6, staff_message(body, name, self.text), self.wrap)
        self.line += 1

    def _name(self, row: Row) -> str | None:
        value = self.settings.cell(row, name_column(self.settings.columns)).strip()
        return value or None

    def _finish_sheet(self) -> None:
        if self.sheets:
            self.sheets[-1].autofilter(0, 0, self.line - 1, len(self.headers) - 1)

    def close(self, summary: Summary) -> None:
        if not self.sheets:
            self._new_sheet()  # no rows: the header alone
        self._finish_sheet()
        by_code = sorted(summary.by_code.items(), key=lambda item: (-item[1], item[0]))
        self._summary_sheet(summary, by_code)
        self._codes_sheet(sorted(summary.by_code))
        if summary.registered is not None:
            self._registered_sheets(summary.registered)
        self.book.close()

    def _summary_sheet(self, summary: Summary, by_code: list[tuple[str, int]]) -> None:
        text = self.text
        sheet = self.book.add_worksheet(text.ui("report-sheet-summary"))
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 1, 48)
        sheet.set_column(2, 2, 12)
        sheet.write_string(0, 0, text.ui("report-summary-title"), self.bold)
        line = 2
        sheet.write_string(line, 0, text.ui("report-summary-status"), self.header)
        sheet.write_string(line, 1, text.ui("report-summary-count"), self.header)
        tally = summary.tally
        counts = [
            (text.ui("report-summary-rows"), tally.rows),
            (text.ui("status-ok"), tally.ok),
            (text.ui("status-warn"), tally.warn),
            (text.ui("status-fail"), tally.fail),
        ]
        for label, count in counts:
            line += 1
            sheet.write_string(line, 0, label)
            sheet.write_number(line, 1, count)
        line += 2
        sheet.write_string(line, 0, text.ui("report-summary-by-code"), self.bold)
        line += 1
        sheet.write_string(line, 0, text.ui("report-code"), self.header)
        sheet.write_string(line, 1, text.ui("report-codes-title"), self.header)
        sheet.write_string(line, 2, text.ui("report-summary-count"), self.header)
        first_code = line + 1
        for code, count in by_code:
            line += 1
            sheet.write_string(line, 0, code)
            sheet.write_string(line, 1, text.code(code).title)
            sheet.write_number(line, 2, count)
        line += 2
        sheet.write_string(line, 0, text.ui("report-summary-columns"), self.bold)
        # The run's own record of its columns (JSON summary.columns) when it keeps one.
        used = summary.as_dict().get("columns") or self.columns_used
        facts = [
            (text.ui("report-summary-sheet"), used.get("sheet") or ""),
            (text.ui("report-summary-header-row"), str(used.get("header_row") or "")),
            (text.ui("report-nip"), used.get("nip") or ""),
            (text.ui("report-email"), used.get("email") or ""),
            (text.ui("report-summary-registered"), used.get("registered") or ""),
            (text.ui("report-summary-carried"), ", ".join(used.get("carried") or [])),
            ("", ""),
            (text.ui("report-summary-profile"), self.profile),
            (text.ui("report-summary-date"), self.today.isoformat()),
        ]
        for label, value in facts:
            line += 1
            sheet.write_string(line, 0, label)
            sheet.write_string(line, 1, str(value))
        if by_code:
            chart = self.book.add_chart({"type": "bar"})
            last = first_code + min(len(by_code), TOP_CODES) - 1
            name = sheet.name
            chart.add_series(
                {
                    "name": text.ui("report-summary-chart"),
                    "categories": [name, first_code, 0, last, 0],
                    "values": [name, first_code, 2, last, 2],
                    "fill": {"color": "#C0504D"},
                }
            )
            chart.set_title({"name": text.ui("report-summary-chart")})
            chart.set_legend({"none": True})
            chart.set_y_axis({"reverse": True})  # the most frequent on top
            sheet.insert_chart(2, 4, chart, {"x_scale": 1.5, "y_scale": 1.5})

    def _registered_sheets(self, registered: RegisteredReport) -> None:
        """--registered-file: the export's counts, then its NIPs this file lacks and those
        it holds twice, one per line (text cells, masked with --mask), on as many sheets
        as they need."""
        text = self.text
        titles = (text.ui("report-nip"), text.ui("report-registered-note"))
        sheet = None
        line = 0
        number = 0

        def next_sheet() -> Any:
            nonlocal number
            number += 1
            name = text.ui("report-sheet-registered")
            new = self.book.add_worksheet(name if number == 1 else f"{name} {number}")
            new.set_column(0, 0, 34)
            new.set_column(1, 1, 40)
            return new

        sheet = next_sheet()
        sheet.write_string(0, 0, text.ui("report-registered-title"), self.bold)
        for line, (key, count) in enumerate(registered.counts().items(), 1):
            sheet.write_string(line, 0, text.ui(f"report-registered-{key}"))
            sheet.write_number(line, 1, count)
        line += 2
        sheet.write_string(line, 0, titles[0], self.header)
        sheet.write_string(line, 1, titles[1], self.header)
        kinds = (
            (text.ui("report-registered-missing-note"), registered.missing_nips()),
            (text.ui("report-registered-duplicate-note"), registered.duplicate_nips()),
        )
        for note, nips in kinds:
            for nip in nips:
                line += 1
                if line >= SHEET_ROWS:
                    sheet, line = next_sheet(), 1
                    sheet.write_string(0, 0, titles[0], self.header)
                    sheet.write_string(0, 1, titles[1], self.header)
                sheet.write_string(line, 0, nip, self.top)
                sheet.write_string(line, 1, note, self.top)

    def _codes_sheet(self, codes: list[str]) -> None:
        text, context = self.text, self.context
        sheet = self.book.add_worksheet(text.ui("report-sheet-codes"))
        titles = ["report-code", "report-codes-severity", "report-codes-title"]
        titles += ["report-codes-why", "report-codes-fix", "report-faq"]
        for column, (key, width) in enumerate(zip(titles, (26, 12, 40, 60, 60, 24), strict=True)):
            sheet.set_column(column, column, width)
            sheet.write_string(0, column, text.ui(key), self.header)
        sheet.freeze_panes(1, 0)
        for line, code in enumerate(codes, 1):
            spec, entry = CODES[code], text.code(code)
            cells = (
                code,
                text.ui(f"severity-{spec.severity}"),
                entry.title,
                entry.why,
                _UNFILLED.sub("…", fill(entry.remedy, context)),
                spec.faq or "",
            )
            for column, value in enumerate(cells):
                sheet.write_string(line, column, value, self.wrap)
        if codes:
            sheet.autofilter(0, 0, len(codes), len(titles) - 1)
