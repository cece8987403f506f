"""Score the email domain typo suggester on a hand-written list of cases.

Usage: python benchmarks/typo_suggester.py [cases.tsv] [--verbose]

Each case is ``domain<TAB>expected<TAB>note``; ``expected`` is the domain the person meant,
or ``-`` for a legitimate domain that must be left alone. Prints how many typos were caught
with the right suggestion (and how many had it first), missed, or given a wrong suggestion,
and how many legitimate domains were wrongly flagged.

A second, generated part applies every single slip (dropped, doubled or swapped character,
neighbouring QWERTY key) to each provider domain and to each family ending of a sample name,
skipping slips that produce another real domain, and scores them the same way.
"""

from __future__ import annotations

import sys
import time
import tomllib
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

from sapkcheck.checks.email.typos import suggest_domains

DEFAULT_CASES = Path(__file__).parent / "data" / "typo_cases.tsv"


def load(path: Path) -> list[tuple[str, str, str]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        domain, expected, *rest = line.split("\t")
        cases.append((domain, expected, rest[0] if rest else ""))
    return cases


_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(char: str) -> str:
    for r, row in enumerate(_ROWS):
        c = row.find(char)
        if c < 0:
            continue
        near = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
        if r > 0:
            near += [_ROWS[r - 1][i] for i in (c, c + 1) if 0 <= i < len(_ROWS[r - 1])]
        if r + 1 < len(_ROWS):
            near += [_ROWS[r + 1][i] for i in (c - 1, c) if 0 <= i < len(_ROWS[r + 1])]
        return "".join(near)
    return ""


def slips(text: str) -> Iterator[tuple[str, str]]:
    """Every single slip of ``text``: (variant, kind)."""
    for i, char in enumerate(text):
        yield text[:i] + text[i + 1 :], "dropped"
        yield text[:i] + char + text[i:], "doubled"
        if i + 1 < len(text) and text[i + 1] != char:
            yield text[:i] + text[i + 1] + char + text[i + 2 :], "swapped"
        for near in _neighbours(char):
            yield text[:i] + near + text[i + 1 :], "neighbour key"


def generated_cases() -> list[tuple[str, str, str]]:
    data = tomllib.loads(
        (files("sapkcheck") / "data" / "email_domains.toml").read_text(encoding="utf-8")
    )
    providers = data["providers"]["domains"]
    families = data["families"]["suffixes"]
    real = set(providers) | set(data["other_domains"]["domains"])
    real_endings = set(families) | set(data["families"]["foreign_suffixes"])
    cases: dict[str, tuple[str, str, str]] = {}
    for domain in providers:
        for variant, kind in slips(domain):
            if variant not in real and "." in variant.strip("."):
                cases.setdefault(variant, (variant, domain, kind))
    for family in families:
        for variant, kind in slips(family):
            variant = variant.strip(".")
            if variant and variant not in real_endings:
                typo = "bkpsdm.contoh." + variant
                cases.setdefault(typo, (typo, "bkpsdm.contoh." + family, kind))
    return list(cases.values())


def score(cases: list[tuple[str, str, str]], verbose: bool, title: str) -> None:
    caught = caught_first = missed = wrong = 0
    legit = flagged = 0
    problems: list[str] = []
    start = time.perf_counter()
    for domain, expected, note in cases:
        got = suggest_domains(domain)
        if expected == "-":
            legit += 1
            if got:
                flagged += 1
                problems.append(f"FLAGGED  {domain!r} -> {got}  ({note})")
        elif expected in got:
            caught += 1
            caught_first += got[0] == expected
            if got[0] != expected and verbose:
                problems.append(f"NOT 1ST  {domain!r} -> {got}  ({note})")
        elif got:
            wrong += 1
            problems.append(f"WRONG    {domain!r} -> {got}, expected {expected}  ({note})")
        else:
            missed += 1
            problems.append(f"MISSED   {domain!r}, expected {expected}  ({note})")
    elapsed = time.perf_counter() - start

    typos = caught + missed + wrong
    print(f"== {title}")
    print(f"cases: {len(cases)} ({typos} typos, {legit} legitimate domains)")
    print(f"typos caught with the right suggestion: {caught}/{typos}", end="")
    print(f" (right suggestion first: {caught_first})")
    print(f"typos missed (no suggestion):           {missed}/{typos}")
    print(f"typos with a wrong suggestion:          {wrong}/{typos}")
    print(f"legitimate domains wrongly flagged:     {flagged}/{legit}")
    print(f"time: {elapsed * 1000:.1f} ms for {len(cases)} cases (first call loads the data)")
    for problem in problems:
        print("  " + problem)
    print()


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    paths = [a for a in argv if not a.startswith("--")]
    path = Path(paths[0]) if paths else DEFAULT_CASES
    score(load(path), verbose=True, title=f"hand-written cases ({path.name})")
    score(generated_cases(), verbose=verbose, title="generated single slips")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
