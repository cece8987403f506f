"""Time the email fast path against email-validator on generated realistic addresses.

Usage: python benchmarks/email_fast.py [count] [--seed N]

Generates ``count`` (default 50 000) addresses of the kind civil servants type (Indonesian
names, birth years and NIP fragments, capitals, gmail / yahoo.co.id / *.go.id / *.ac.id /
*.sch.id / belajar.id, about 6% messy or invalid rows), then times, in one process and on
the same list (best of several rounds):

* ``fast_normalize`` alone,
* a bare ``validate_email(check_deliverability=False)`` loop,
* the combined path a batch uses: the fast path, falling back to email-validator.

Prints µs/call for each, the ratios, and the coverage (share of rows the fast path decided).
It also checks that every fast verdict equals email-validator's.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence

from email_validator import EmailNotValidError, ValidatedEmail, validate_email

from sapkcheck.checks.email.fast import fast_normalize

# fmt: off
FIRST = [
    "budi", "siti", "agus", "dewi", "rahmat", "andi", "rina", "putri", "eko", "ahmad", "fitri",
    "wahyu", "nur", "muhammad", "sri", "yusuf", "hendra", "ketut", "made", "wayan", "nyoman",
    "gede", "putu", "komang", "i", "dian", "indah", "rizki", "fajar", "ayu", "lestari", "bambang",
    "joko", "slamet", "tri", "dwi", "yanti", "ratna", "hasan", "ali", "yohanes", "maria",
    "fransiska", "kadek",
]
LAST = [
    "santoso", "wulandari", "setiawan", "hidayat", "pratama", "lestari", "nugroho", "prasetyo",
    "fauzi", "handayani", "susanti", "kurniawan", "saputra", "permana", "suardana", "maulana",
    "rahman", "siregar", "nasution", "simanjuntak", "harahap", "lubis", "sinaga", "manurung",
    "wijaya", "gunawan", "halim", "tanjung", "hakim", "sembiring", "ginting",
]
PROVIDERS = ["gmail.com", "yahoo.com", "yahoo.co.id", "ymail.com", "outlook.com", "hotmail.com",
             "icloud.com", "belajar.id"]
PROVIDER_WEIGHTS = [55, 8, 8, 1, 2, 2, 1, 4]
GOV = [
    "bkn", "kemenkeu", "kemenag", "kemdikbud", "pu", "kemkes", "polri", "menpan", "bkd.jatengprov",
    "bkpsdm.bandungkab", "bkpsdm.surabaya", "bkd.jabarprov", "bkpsdm.denpasarkota", "setjen.dpr",
    "bps", "kejaksaan", "mahkamahagung", "rsudcibinong.bogorkab", "dinkes.sumutprov",
    "disdik.acehprov",
]
CAMPUS = ["ui", "ugm", "itb", "unair", "unpad", "undip", "unhas", "uns", "its", "ipb", "mail.ugm",
          "student.itb"]
SCHOOLS = ["sman1-yogyakarta", "smpn2bandung", "sdn3menteng", "smkn1-surabaya", "man2jakarta"]
# fmt: on
MESSY = [
    lambda a: a + " ",
    lambda a: " " + a,
    lambda a: a.replace("@", "@@"),
    lambda a: a.replace("@", ""),
    lambda a: a.replace(".", "..", 1),
    lambda a: a.replace(".", ",", 1),
    lambda a: a.rsplit(".", 1)[0],
    lambda a: a.replace("a", "á", 1),
    lambda a: a + ".",
    lambda a: "Nama <" + a + ">",
    lambda a: a.replace("@", " @"),
    lambda a: a.rstrip("moc") + "c0m",
]


def _local(rng: random.Random) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    sep = rng.choice([".", ".", "_", "", "-"])
    local = rng.choice([f"{first}{sep}{last}", first, f"{first[0]}{sep}{last}", f"{first}{last}"])
    roll = rng.random()
    if roll < 0.25:
        local += str(rng.randint(60, 99) + 1900)
    elif roll < 0.35:
        local += f"{rng.randint(1, 99):02d}"
    elif roll < 0.38:
        local = f"nip{rng.randint(10**17, 10**18 - 1)}"
    elif roll < 0.40:
        local += "+sapk"
    case = rng.random()
    if case < 0.08:
        local = local.upper()
    elif case < 0.25:
        local = ".".join(part.capitalize() for part in local.split("."))
    return local


def _domain(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.81:
        domain = rng.choices(PROVIDERS, PROVIDER_WEIGHTS)[0]
    elif roll < 0.93:
        domain = f"{rng.choice(GOV)}.go.id"
    elif roll < 0.97:
        domain = f"{rng.choice(CAMPUS)}.ac.id"
    else:
        domain = f"{rng.choice(SCHOOLS)}.sch.id"
    if rng.random() < 0.05:
        domain = domain.upper() if rng.random() < 0.5 else domain.capitalize()
    return domain


def generate(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        address = f"{_local(rng)}@{_domain(rng)}"
        if rng.random() < 0.06:
            address = rng.choice(MESSY)(address)
        rows.append(address)
    return rows


def _bare(address: str) -> ValidatedEmail | None:
    try:
        return validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return None


def _combined(address: str) -> object:
    fast = fast_normalize(address)
    if fast is not None:
        return fast
    return _bare(address)


def best_of(function: Callable[[str], object], rows: Sequence[str], rounds: int) -> float:
    """Best seconds per call over ``rounds`` passes."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for row in rows:
            function(row)
        best = min(best, time.perf_counter() - start)
    return best / len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    rows = generate(args.count, args.seed)
    decided = valid = 0
    for row in rows:
        fast = fast_normalize(row)
        slow = _bare(row)
        valid += slow is not None
        if fast is not None:
            decided += 1
            assert slow is not None, row
            assert fast == (slow.normalized, slow.ascii_domain), row

    fast_s = best_of(fast_normalize, rows, args.rounds)
    bare_s = best_of(_bare, rows, max(1, args.rounds // 2))
    combined_s = best_of(_combined, rows, max(1, args.rounds // 2))

    print(f"rows: {len(rows):,} (seed {args.seed}), valid per email-validator: {valid:,}")
    print(f"coverage: fast path decided {decided:,} rows = {decided / len(rows):.1%} of all,")
    print(f"          {decided / valid:.1%} of the valid ones (all verdicts identical)")
    print(f"fast_normalize:             {fast_s * 1e6:7.3f} µs/call")
    print(f"validate_email:             {bare_s * 1e6:7.3f} µs/call")
    print(f"fast, else validate_email:  {combined_s * 1e6:7.3f} µs/call")
    print(f"validate_email / fast_normalize: {bare_s / fast_s:6.1f}x")
    print(f"validate_email / combined:       {bare_s / combined_s:6.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
