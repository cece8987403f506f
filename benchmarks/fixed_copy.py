"""The cost of ``batch --fixed`` against ``batch`` alone, in the same run, for CSV and XLSX.

Generates a staff export (a grouped NIP or a trailing space on ~1 row in 5; the XLSX with a
second sheet), runs ``sapkcheck batch FILE --format json --jobs 1`` as a real process with
and without ``--fixed`` (and ``--fixed-log``), and prints the seconds of each, the ratio,
and the peak memory (max RSS of the child) of the run with ``--fixed``. The patch of the
XLSX sheet streams: its memory does not grow with the rows.

    python benchmarks/fixed_copy.py --rows 100000
    python benchmarks/fixed_copy.py --rows 1000000 --formats csv
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def rows(count: int) -> list[list[str]]:
    rng = random.Random(5)
    out = []
    for i in range(count):
        month, day, tmt = rng.randint(1, 12), rng.randint(1, 28), rng.randint(1, 12)
        nip = f"1986{month:02d}{day:02d}2015{tmt:02d}1{i % 1000:03d}"
        email = f"orang{i}@gmail.com"
        kind = rng.random()
        if kind < 0.1:
            nip = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        elif kind < 0.2:
            email += " "
        out.append([f"Orang {i}", nip, email, "Dinas X"])
    return out


def write_csv(path: Path, data: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("NAMA;NIP;EMAIL;UNIT KERJA\r\n")
        for row in data:
            stream.write(";".join(row) + "\r\n")


def write_xlsx(path: Path, data: list[list[str]]) -> None:
    import openpyxl  # type: ignore[import-untyped,unused-ignore]

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Pegawai")
    sheet.append(["NAMA", "NIP", "EMAIL", "UNIT KERJA"])
    for row in data:
        sheet.append(row)
    other = workbook.create_sheet("Rekap")
    other.append(["Jumlah", len(data)])
    workbook.save(path)


def timed(args: list[str]) -> tuple[float, int]:
    """Seconds and the peak RSS (KiB) of one sapkcheck run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sapkcheck", *args], capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    options = parser.parse_args()
    data = rows(options.rows)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for kind in options.formats.split(","):
            source = base / f"staff.{kind}"
            (write_csv if kind == "csv" else write_xlsx)(source, data)
            common = ["batch", str(source), "--format", "json", "--jobs", "1"]
            common += ["--output", str(base / "report.json")]
            plain, _ = timed(common)
            fixed_args = [*common, "--fixed", str(base / f"fixed.{kind}")]
            fixed_args += ["--fixed-log", str(base / "log.csv")]
            fixed, peak = timed(fixed_args)
            print(
                f"{kind}: {options.rows:,} rows; batch {plain:.2f} s; batch --fixed --fixed-log "
                f"{fixed:.2f} s; ratio {fixed / plain:.2f}; peak RSS so far {peak / 1024:.0f} MB"
            )


if __name__ == "__main__":
    main()
