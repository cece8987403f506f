"""Batch throughput against a bare email-validator loop, in the same run.

Generates a synthetic staff export (realistic NIPs and emails, ~10 % with problems of
every kind), runs ``sapkcheck batch`` on it as a real process once per format (text,
jsonl, json, csv by default), and times a baseline: a loop calling
``email_validator.validate_email(e, check_deliverability=False)`` on the same emails,
timed again just before each format's run (pairing: a drift of the machine's speed
during the invocation, common on shared virtual machines, moves both sides of a ratio,
not one). Prints the machine's core count, rows/s per format, its ratio to the baseline
timed beside it, and the peak memory of each run: the largest single process
(``ru_maxrss``) and, on Linux, the largest sampled sum of proportional set sizes over the
run's process tree (main process + workers; pages they share counted once).

    python benchmarks/batch.py --rows 200000                 # all formats, default jobs
    python benchmarks/batch.py --rows 200000 --repeat 3      # the median of 3 rounds
    python benchmarks/batch.py --rows 200000 --jobs 1 --format text
    python benchmarks/batch.py --rows 1000000 --skip-baseline
    python benchmarks/batch.py --rows 6000000 --format text --format jsonl --skip-baseline

Floors (issue 13, 2 cores): every format at default jobs >= 1.5 x baseline; --jobs 1
text >= 1.0 x; 1 M rows peak < 250 MB in every format; 6 M rows < 60 s and < 500 MB
(text, jsonl).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

FIRST = [
    "eli",
    "budi",
    "citra",
    "dedi",
    "eka",
    "fajar",
    "gita",
    "hadi",
    "indah",
    "joko",
    "kiki",
    "lina",
    "made",
    "nur",
    "oki",
    "putri",
    "rina",
    "sari",
    "tono",
    "wayan",
]
LAST = [
    "sari",
    "santoso",
    "wijaya",
    "hidayat",
    "lestari",
    "pratama",
    "saputra",
    "rahayu",
    "nugroho",
    "kusuma",
    "putra",
    "utami",
]
DOMAINS = (
    ["gmail.com"] * 12
    + ["yahoo.co.id"] * 3
    + [
        "yahoo.com",
        "ymail.com",
        "outlook.com",
        "hotmail.com",
        "sumbawakab.go.id",
        "bkn.go.id",
        "kemenkeu.go.id",
        "ui.ac.id",
        "belajar.id",
        "icloud.com",
    ]
)
TYPO_DOMAINS = ["gmial.com", "gmai.com", "yahoo.co.od", "gmail.co.id", "yaho.com", "gmail.con"]


def make_nip(rng: random.Random, serial: int) -> str:
    year = rng.randint(1965, 2000)
    born = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    sex = rng.choice("12")
    if rng.random() < 0.3:  # PPPK
        appointed = rng.randint(max(year + 21, 2019), 2025)
        return f"{born}{appointed}2{rng.randint(1, 4)}{sex}{serial:03d}"
    appointed = rng.randint(year + 20, min(year + 35, 2025))
    return f"{born}{appointed}{rng.randint(1, 12):02d}{sex}{serial:03d}"


def damage_nip(rng: random.Random, nip: str) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    if kind == 1:
        return f"{int(nip[:6]) / 10**5:.5f}E+17".replace(".", ",")
    if kind == 2:
        return nip[:-1]
    if kind == 3:
        return nip[:4] + "13" + nip[6:]
    if kind == 4:
        return str(rng.randint(100000000, 999999999))
    return nip[:10] + "O" + nip[11:]


def make_email(rng: random.Random, number: int) -> str:
    """Unique per person (as in a real export), apart from ~0.5 % shared addresses."""
    local = rng.choice(FIRST) + rng.choice([".", "_", ""]) + rng.choice(LAST)
    if rng.random() > 0.005:
        local += str(number)
    return f"{local}@{rng.choice(DOMAINS)}"


def damage_email(rng: random.Random, email: str) -> str:
    kind = rng.randrange(8)
    local, _, domain = email.partition("@")
    if kind == 0:
        return email + " " * rng.randint(1, 2)
    if kind == 1:
        return "\u200b" + email
    if kind == 2:
        return f"{local}@{rng.choice(TYPO_DOMAINS)}"
    if kind == 3:
        return f"<{email}>"
    if kind == 4:
        return email.replace("a", "\u0430", 1)
    if kind == 5:
        return local + domain
    if kind == 6:
        return email.upper()
    return f"mailto:{email}"


def generate(path: Path, rows: int, seed: int, keep: bool) -> list[str]:
    """Writes the file; returns its emails when ``keep`` (the baseline's input)."""
    rng = random.Random(seed)
    emails: list[str] = []
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["NO", "NAMA", "NIP", "EMAIL", "EMAIL SAPK"])
        for number in range(1, rows + 1):
            nip = make_nip(rng, number % 999 + 1)
            email = make_email(rng, number)
            registered = email if rng.random() > 0.03 else make_email(rng, number + 1)
            if rng.random() < 0.05:
                nip = damage_nip(rng, nip)
            if rng.random() < 0.06:
                email = damage_email(rng, email)
            if keep:
                emails.append(email)
            writer.writerow([number, "PEGAWAI", nip, email, registered])
    return emails


def baseline(emails: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the bare loop."""
    from email_validator import EmailNotValidError, validate_email

    cpu = time.process_time()
    start = time.perf_counter()
    for email in emails:
        # A bare try/except, not contextlib.suppress: the baseline must not pay for extras.
        try:  # noqa: SIM105
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            pass
    return time.perf_counter() - start, time.process_time() - cpu


def _tree_rss_kib(root: int) -> int:
    """Memory of ``root`` and every descendant, KiB: the sum of their proportional set
    sizes (Linux /proc; resident size where smaps_rollup is missing; 0 elsewhere). Only
    the tree's own files are read: scanning every process would take CPU from the run it
    measures (2.5-3.6 ms a sample on a 2-core machine, 20 samples a second)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kib(pid)
        todo += _children(pid)
    return total


def _children(pid: int) -> list[int]:
    """The child processes of ``pid``, from each of its threads' ``children`` file."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found: list[int] = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", "rb") as children:
                found += [int(child) for child in children.read().split()]
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    """The proportional set size of ``pid`` (pages shared by forked workers counted
    once); its resident size where smaps_rollup is missing."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as smaps:
            for line in smaps:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except OSError:
        return 0


class Run:
    def __init__(
        self, fmt: str, seconds: float, cpu: float, code: int, peak_kib: int, tree_kib: int
    ) -> None:
        self.fmt, self.seconds, self.cpu, self.code = fmt, seconds, cpu, code
        self.peak_kib, self.tree_kib = peak_kib, tree_kib


def run_batch(path: Path, jobs: int | None, fmt: str) -> Run:
    command = [sys.executable, "-m", "sapkcheck", "batch", str(path), "--format", fmt]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            tree_peak[0] = max(tree_peak[0], _tree_rss_kib(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert process.stderr is not None
    errors = process.stderr.read()
    # wait4: this child's own rusage (the largest process among it and its workers)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.exit(f"batch --format {fmt} failed ({process.returncode}): {errors.decode()[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime  # the run and its waited-for workers
    return Run(fmt, elapsed, cpu, process.returncode, usage.ru_maxrss, tree_peak[0])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=None, help="default: sapkcheck's own")
    parser.add_argument(
        "--format",
        action="append",
        choices=["text", "json", "jsonl", "csv"],
        help="repeat for several; default: all four",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of every format, each with its own baseline; prints the median ratio",
    )
    args = parser.parse_args()
    formats = args.format or ["text", "jsonl", "json", "csv"]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"cores: {cores} (os.cpu_count {os.cpu_count()}), python {sys.version.split()[0]}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.csv"
        started = time.perf_counter()
        emails = generate(path, args.rows, args.seed, keep=not args.skip_baseline)
        print(
            f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        if not args.skip_baseline:
            print(f"load average before the runs: {os.getloadavg()[0]:.2f}")
        jobs = args.jobs if args.jobs is not None else "default"
        print(
            f"{'format':<9} {'jobs':>7} {'seconds':>8} {'rows/s':>10} {'base s':>7} "
            f"{'ratio':>6} {'exit':>4} {'max proc MB':>11} {'tree PSS MB':>11} "
            f"{'CPU us/row':>10} {'CPU ratio':>9}"
        )
        ratios: dict[str, list[float]] = {fmt: [] for fmt in formats}
        for round_number in range(args.repeat):
            for fmt in formats:
                base_elapsed, base_cpu = baseline(emails) if emails else (0.0, 0.0)
                run = run_batch(path, args.jobs, fmt)
                ours = args.rows / run.seconds
                base = f"{base_elapsed:.2f}" if base_elapsed else "-"
                ratio = f"{base_elapsed / run.seconds:.2f}" if base_elapsed else "-"
                if base_elapsed:
                    ratios[fmt].append(base_elapsed / run.seconds)
                # CPU ratio: the baseline's CPU per row over ours (all processes): what the
                # wall ratio would be on one idle core, whatever else the machine runs.
                cpu_ratio = f"{base_cpu / run.cpu:.2f}" if base_elapsed else "-"
                label = fmt if args.repeat == 1 else f"{fmt} #{round_number + 1}"
                print(
                    f"{label:<9} {jobs:>7} {run.seconds:>8.2f} {ours:>10,.0f} {base:>7} "
                    f"{ratio:>6} {run.code:>4} {run.peak_kib / 1024:>11.0f} "
                    f"{run.tree_kib / 1024:>11.0f} {run.cpu * 1e6 / args.rows:>10.1f} "
                    f"{cpu_ratio:>9}",
                    flush=True,
                )
        if args.repeat > 1 and any(ratios.values()):
            print("median ratio (min-max) over the rounds:")
            for fmt, found in ratios.items():
                print(
                    f"  {fmt:<6} {statistics.median(found):.2f} ({min(found):.2f}-{max(found):.2f})"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
