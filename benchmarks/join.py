"""The two-file join (``batch CURRENT --registered-file EXPORT``) against the same batch run
without it, in the same invocation.

Generates a current staff file and a SAPK/SIASN-like export of the same size (the export
in another order, ~3 % of its NIPs absent from the current file and the other way round,
~0.5 % duplicate NIPs, ~0.5 % invalid NIPs, emails on record that differ for ~3 % of the
staff), then runs as real processes:

- baseline: ``sapkcheck batch CURRENT`` (the current file's own ``EMAIL SAPK`` column is the
  registered email: the same comparisons, read from the same row);
- join: ``sapkcheck batch CURRENT --registered-file EXPORT`` (that column ignored, the
  export's email of the row's NIP compared instead);
- index only: the export read into the index, in a process of its own (time, bytes held by
  the index, peak RSS) to extrapolate to larger exports.

Prints the time and peak RSS of each and the join / baseline ratios.

    python benchmarks/join.py --rows 1000000 --jobs 1
    python benchmarks/join.py --rows 200000
    python benchmarks/join.py --rows 6000000 --index-only   # the index of a 6 M-row export
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.batch import damage_email, damage_nip, make_email, make_nip

# A child that runs a command and reports its peak RSS (each measurement in its own
# process tree: RUSAGE_CHILDREN of this script would keep the largest of all runs).
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
sys.stderr.write(done.stdout.decode(errors="replace")[-2000:])
print(f"{elapsed} {cpu} {peak} {done.returncode}")
"""

INDEX_ONLY = """
import sys, time
from datetime import date
from pathlib import Path
from sapkcheck.batch.registered import load_registered
start = time.perf_counter()
loaded = load_registered(Path(sys.argv[1]), None, date.today())
elapsed = time.perf_counter() - start
held = loaded.index.nbytes() / 1e6
print(f"index {elapsed:.2f} s, {len(loaded.index):,} NIPs, {held:.1f} MB held")
"""


def generate(current: Path, export: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    on_record: list[tuple[str, str, str]] = []
    with current.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["NO", "NAMA", "NIP", "EMAIL", "EMAIL SAPK"])
        for number in range(1, rows + 1):
            nip = make_nip(rng, number % 999 + 1)
            email = make_email(rng, number)
            registered = email if rng.random() > 0.03 else make_email(rng, number + 1)
            draw = rng.random()
            if draw < 0.03:
                pass  # new staff: not in the export
            elif draw < 0.035:
                on_record += [(nip, "PEGAWAI", registered), (nip, "PEGAWAI", registered)]
            elif draw < 0.04:
                on_record.append((damage_nip(rng, nip), "PEGAWAI", registered))
            else:
                on_record.append((nip, "PEGAWAI", registered))
            if rng.random() < 0.05:
                nip = damage_nip(rng, nip)
            if rng.random() < 0.06:
                email = damage_email(rng, email)
            writer.writerow([number, "PEGAWAI", nip, email, registered])
    # Staff of the export that the current file lacks (moved out, retired).
    while len(on_record) < rows:
        on_record.append((make_nip(rng, rng.randint(1, 999)), "PEGAWAI", make_email(rng, 0)))
    rng.shuffle(on_record)
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(["NIP BARU", "NAMA", "EMAIL SAPK"])
        writer.writerows(on_record[:rows])


def measure(command: list[str]) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds of every process, peak RSS in MB of the largest process, the
    command's output). CPU seconds hold when other work shares the machine; the wall time
    does not."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=False
    )
    elapsed, cpu, peak_kib, code = done.stdout.split()
    if int(code) not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({code}): {done.stderr}")
    return float(elapsed), float(cpu), int(peak_kib) / 1024, done.stderr


def index_line(export: Path) -> str:
    """The export read into the index alone, in a process of its own."""
    seconds, cpu, peak_mb, said = measure([sys.executable, "-c", INDEX_ONLY, str(export)])
    return f"{said.strip()} (process: {seconds:.2f} s, {cpu:.2f} s CPU, peak RSS {peak_mb:.0f} MB)"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000, help="rows of each file")
    parser.add_argument("--jobs", type=int, default=None, help="default: sapkcheck's own")
    parser.add_argument("--format", default="json", choices=["text", "json", "jsonl", "csv"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--index-only", action="store_true", help="only the export and its index, no batch run"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        current, export = Path(tmp) / "current.csv", Path(tmp) / "export.csv"
        if args.index_only:
            current = Path(os.devnull)
        started = time.perf_counter()
        generate(current, export, args.rows, args.seed)
        print(
            f"generated {args.rows:,} + {args.rows:,} rows "
            f"({(0 if args.index_only else current.stat().st_size) / 1e6:.1f} + "
            f"{export.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        if args.index_only:
            print(index_line(export))
            return 0
        batch = [sys.executable, "-m", "sapkcheck", "batch", str(current)]
        batch += ["--format", args.format, "--output", str(Path(tmp) / "report")]
        if args.jobs is not None:
            batch += ["--jobs", str(args.jobs)]
        base_s, base_cpu, base_mb, said = measure(batch)
        summary = said.strip().splitlines()[0] if said.strip() else ""
        print(f"  {summary}")
        print(
            f"baseline (registered column): {base_s:.2f} s ({base_cpu:.2f} s CPU), "
            f"peak RSS {base_mb:.0f} MB"
        )
        join_s, join_cpu, join_mb, said = measure([*batch, "--registered-file", str(export)])
        print(
            f"join (--registered-file):     {join_s:.2f} s ({join_cpu:.2f} s CPU), "
            f"peak RSS {join_mb:.0f} MB"
        )
        for line in said.strip().splitlines()[:2]:
            print(f"  {line}")
        print(index_line(export))
        print(f"ratio time (join / baseline): {join_s / base_s:.2f}")
        print(f"ratio CPU time (join / baseline): {join_cpu / base_cpu:.2f}")
        print(f"ratio peak RSS (join / baseline): {join_mb / base_mb:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
