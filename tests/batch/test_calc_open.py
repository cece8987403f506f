"""The CSV and XLSX reports opened by LibreOffice Calc itself (headless, Indonesian locale):
every 18-digit NIP survives as text. Calc converts the report to XLSX and openpyxl reads
what Calc made of each cell.

Needs ``soffice`` (``.ci/run`` installs ``libreoffice-calc-nogui``) and the ``id_ID.UTF-8``
locale; without them the tests skip, saying which is missing.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from tests.helpers import Run

CLI = Callable[..., Run]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LOCALE = "id_ID.UTF-8"
NIPS = ["198609262015052001", "199001012015031003", "019203042019032005", "200001012025212001"]


def _locale_installed() -> bool:
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    except OSError:
        return False
    return any(line.lower().replace("-", "") == "id_id.utf8" for line in listed.stdout.split())


pytestmark = [
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui "
        "(.ci/run does it when the package manager is reachable)",
    ),
    pytest.mark.skipif(
        not _locale_installed(),
        reason=f"the {LOCALE} locale is not installed (locale-gen {LOCALE}; .ci/run does it)",
    ),
]


def calc_convert(source: Path, out_dir: Path, infilter: str | None = None) -> Path:
    """``source`` opened by Calc in the Indonesian locale and saved as XLSX in ``out_dir``."""
    command = [
        str(SOFFICE),
        f"-env:UserInstallation={(out_dir / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(out_dir),
    ]
    if infilter:
        command.append(f"--infilter={infilter}")
    env = {**os.environ, "LANG": LOCALE, "LC_ALL": LOCALE}
    done = subprocess.run(
        [*command, str(source)], capture_output=True, text=True, env=env, timeout=180, check=False
    )
    converted = out_dir / (source.stem + ".xlsx")
    assert done.returncode == 0 and converted.exists(), done.stdout + done.stderr
    return converted


def staff(tmp_path: Path) -> Path:
    source = tmp_path / "pegawai.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(["NAMA", "NIP", "EMAIL", "ANGKA"])
        for number, nip in enumerate(NIPS):
            # a typo in every email: each row is in the per-finding CSV report
            writer.writerow([f"Pegawai {number}", nip, f"p{number}@gmial.com", "1,5"])
    return source


def nip_column(sheet: Any, title: str = "NIP") -> list[Any]:
    """The column's values, each once, in order (the CSV report has a line per finding)."""
    rows = list(sheet.iter_rows(values_only=True))
    index = list(rows[0]).index(title)
    return list(dict.fromkeys(row[index] for row in rows[1:]))


# CSV import options (the "CSV" filter's tokens): 59 = ';' separator, 34 = '"' text
# delimiter, 76 = UTF-8, 1 = first line; token 6 1057 = Indonesian; token 13 = evaluate
# formulas (the Text Import dialog's "Evaluate formulas").
AS_GIVEN = "CSV:59,34,76,1"
EVALUATED = "CSV:59,34,76,1,,1057,false,false,false,false,false,-1,true"


def test_the_csv_report_keeps_every_nip_as_text_in_calc(cli: CLI, tmp_path: Path) -> None:
    report = tmp_path / "laporan.csv"
    run = cli("batch", str(staff(tmp_path)), "--format", "csv", "--output", str(report))
    assert run.exit_code == 1, run.stderr  # 019…: not a valid birth date
    # With the filter options as given, and with formulas evaluated explicitly (the Text
    # Import dialog's "Evaluate formulas"; Excel always evaluates): the formula's text.
    for name, infilter in (("given", AS_GIVEN), ("evaluated", EVALUATED)):
        converted = calc_convert(report, tmp_path / name, infilter)
        values = nip_column(openpyxl.load_workbook(converted, data_only=True).active)
        assert values == NIPS, name
        assert all(isinstance(value, str) for value in values)


def test_a_bare_nip_would_be_damaged_in_the_same_calc(tmp_path: Path) -> None:
    """The control: the same Calc, locale and filter turn a bare 18-digit NIP into a number
    (and read 1,5 as one and a half: the Indonesian locale is in force)."""
    source = staff(tmp_path)
    converted = calc_convert(source, tmp_path / "bare", EVALUATED)
    sheet = openpyxl.load_workbook(converted, data_only=True).active
    assert all(isinstance(value, float) for value in nip_column(sheet)[:2])
    assert nip_column(sheet, "ANGKA") == [1.5]


def test_the_xlsx_report_keeps_every_nip_as_text_in_calc(cli: CLI, tmp_path: Path) -> None:
    report = tmp_path / "laporan.xlsx"
    run = cli("batch", str(staff(tmp_path)), "--output", str(report))
    assert run.exit_code == 1, run.stderr  # 019…: not a valid birth date
    resaved = calc_convert(report, tmp_path / "calc")
    book = openpyxl.load_workbook(resaved, data_only=True)
    values = nip_column(book[book.sheetnames[0]])
    assert values == NIPS
    assert all(isinstance(value, str) for value in values)
