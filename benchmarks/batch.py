"""Batch throughput against a bare email-validator loop, in the same run.

Generates a synthetic staff export (realistic NIPs and emails, ~10 % with problems of
every kind), runs ``sapkcheck batch`` on it as a real process, and times a baseline: a
loop calling ``email_validator.validate_email(e, check_deliverability=False)`` on the
same emails. Prints rows/s for both, the ratio, and the peak memory of the batch run.

    python benchmarks/batch.py --rows 200000 --jobs 1
    python benchmarks/batch.py --rows 200000            # default jobs: all cores
    python benchmarks/batch.py --rows 1000000 --format jsonl
    python benchmarks/batch.py --rows 6000000 --skip-baseline

Floors (issue 5): --jobs 1 >= 0.7 x baseline; default jobs >= 1.3 x baseline on 2 cores;
1 M rows under 400 MB peak; 6 M rows finish.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
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


def generate(path: Path, rows: int, seed: int) -> list[str]:
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
            emails.append(email)
            writer.writerow([number, "PEGAWAI", nip, email, registered])
    return emails


def baseline(emails: list[str]) -> float:
    from email_validator import EmailNotValidError, validate_email

    start = time.perf_counter()
    for email in emails:
        # A bare try/except, not contextlib.suppress: the baseline must not pay for extras.
        try:  # noqa: SIM105
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            pass
    return time.perf_counter() - start


def run_batch(path: Path, jobs: int | None, fmt: str) -> tuple[float, int, int]:
    command = [sys.executable, "-m", "sapkcheck", "batch", str(path), "--format", fmt]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"batch failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, done.returncode, peak_kib


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=None, help="default: sapkcheck's own")
    parser.add_argument("--format", default="text", choices=["text", "json", "jsonl", "csv"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.csv"
        started = time.perf_counter()
        emails = generate(path, args.rows, args.seed)
        print(
            f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        elapsed, code, peak_kib = run_batch(path, args.jobs, args.format)
        ours = args.rows / elapsed
        jobs = args.jobs if args.jobs is not None else "default (all cores)"
        print(
            f"sapkcheck batch --format {args.format} --jobs {jobs}: {elapsed:.2f} s, "
            f"{ours:,.0f} rows/s, exit {code}, peak RSS {peak_kib / 1024:.0f} MB"
        )
        if args.skip_baseline:
            return 0
        base_elapsed = baseline(emails)
        base = args.rows / base_elapsed
        print(f"baseline validate_email loop: {base_elapsed:.2f} s, {base:,.0f} rows/s")
        print(f"ratio (sapkcheck / baseline): {ours / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
