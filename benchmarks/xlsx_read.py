"""XLSX read speed: openpyxl read-only against python-calamine, in the same run.

Writes a synthetic staff sheet (a title row, a header, NIPs as text, emails, names, units)
with openpyxl's write-only mode, then reads every row back with each reader in its own
process (so peak memory is per reader): openpyxl ``load_workbook(read_only=True,
data_only=True)`` + ``iter_rows(values_only=True)``, and calamine ``load_workbook`` +
``get_sheet_by_index(0).iter_rows()``. Prints rows/s and peak memory of each, and the ratio.
With ``--table`` it also times sapkcheck's own ``open_table`` on the same file (whichever
reader it routes ``.xlsx`` through). ``--repeat N`` runs the readers N times, interleaved
(a drift of the machine's speed moves every reader, not one), and prints each reader's
median with its spread, and the median of the per-round ratios. ``--skip-openpyxl`` leaves
out the slow reader (~20 s a round at 200k rows).

    python benchmarks/xlsx_read.py --rows 200000
    python benchmarks/xlsx_read.py --rows 200000 --table
    python benchmarks/xlsx_read.py --rows 200000 --table --skip-openpyxl --repeat 5
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READERS = ("openpyxl", "calamine", "table")


def make_sheet(path: Path, rows: int, seed: int = 7) -> None:
    import openpyxl  # type: ignore[import-untyped,unused-ignore]

    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Pegawai")
    sheet.append(["DAFTAR PEGAWAI"])
    sheet.append(["NO", "NAMA", "NIP", "EMAIL", "UNIT KERJA", "JABATAN"])
    for i in range(rows):
        nip = f"19{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        nip += f"20{rng.randint(10, 23)}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{i % 1000:03d}"
        sheet.append([i + 1, f"Pegawai {i}", nip, f"user{i}@gmail.com", f"Dinas {i % 40}", "Staf"])
    workbook.save(path)


def read(reader: str, path: Path) -> int:
    """Rows read (every row of the first sheet)."""
    count = 0
    if reader == "openpyxl":
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for _ in workbook.worksheets[0].iter_rows(values_only=True):
            count += 1
        workbook.close()
    elif reader == "calamine":
        from python_calamine import load_workbook

        with load_workbook(str(path)) as workbook:
            for _ in workbook.get_sheet_by_index(0).iter_rows():
                count += 1
    else:
        from sapkcheck.batch.tables.reader import open_table

        with open_table(path) as table:
            for _ in table:
                count += 1
    return count


def child(reader: str, path: Path) -> None:
    start = time.perf_counter()
    count = read(reader, path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # A reader's own child process (sapkcheck's calamine child) counts as well.
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{count} {seconds} {peak} {child_peak}")


def time_reader(reader: str, path: Path, round_number: int, rounds: int) -> float:
    """One reader's rows/s on ``path``, in its own process; prints the round's line."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", reader, "--path", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    count, seconds, peak = int(out[0]), float(out[1]), float(out[2])
    child_peak = float(out[3])
    rate = count / seconds
    extra = f" (its child process: {child_peak:,.0f} MB)" if child_peak else ""
    label = f"[{round_number}/{rounds}] " if rounds > 1 else ""
    print(
        f"{label}{reader:9} {count:>9,} rows {seconds:7.2f} s {rate:>10,.0f} rows/s "
        f"peak {peak:,.0f} MB{extra}"
    )
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--table", action="store_true", help="also time open_table")
    parser.add_argument("--skip-openpyxl", action="store_true", help="leave openpyxl out")
    parser.add_argument("--repeat", type=int, default=1, help="rounds (medians printed)")
    parser.add_argument("--child", choices=READERS, help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat needs at least 1 round")
    if args.child:
        child(args.child, args.path)
        return 0
    readers = [r for r in READERS if (args.table or r != "table")]
    if args.skip_openpyxl:
        readers.remove("openpyxl")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.xlsx"
        make_sheet(path, args.rows)
        size = path.stat().st_size / 1e6
        print(f"{args.rows:,} data rows, {size:.1f} MB, {os.cpu_count()} cores")
        rates: dict[str, list[float]] = {reader: [] for reader in readers}
        for round_number in range(1, args.repeat + 1):
            for reader in readers:
                rates[reader].append(time_reader(reader, path, round_number, args.repeat))
        if args.repeat > 1:
            print(f"median of {args.repeat} rounds (min-max):")
            for reader, rounds in rates.items():
                print(
                    f"{reader:9} {statistics.median(rounds):>10,.0f} rows/s "
                    f"({min(rounds):,.0f}-{max(rounds):,.0f})"
                )
        for top, bottom in (("calamine", "openpyxl"), ("table", "calamine")):
            if top in rates and bottom in rates:
                ratios = [a / b for a, b in zip(rates[top], rates[bottom], strict=True)]
                print(
                    f"{top} / {bottom}: {statistics.median(ratios):.2f}x "
                    f"({min(ratios):.2f}-{max(ratios):.2f})"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
