"""How well triage would answer WhatsApp messages: values removed by ``extract``, the rest
matched by ``faq.search``; a best score under ``--min-score`` means "no entry" (none).

    python benchmarks/triage_eval.py [--min-score 60] [--misses]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from pathlib import Path

from sapkcheck.knowledge.faq import search
from sapkcheck.triage.extract import extract

CASES = Path(__file__).parent / "triage_eval.toml"


def load_cases(path: Path = CASES) -> list[tuple[str, str]]:
    with path.open("rb") as handle:
        return [(case["faq"], case["text"]) for case in tomllib.load(handle)["cases"]]


def predict(text: str, min_score: float) -> tuple[str, float]:
    ranked = search(extract(text).remainder, "id", limit=1)
    if not ranked or ranked[0][1] < min_score:
        return "none", ranked[0][1] if ranked else 0.0
    return ranked[0][0].id, ranked[0][1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-score", type=float, default=60.0)
    parser.add_argument("--misses", action="store_true", help="list every wrong answer")
    args = parser.parse_args()
    cases = load_cases()
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    misses = []
    for expected, text in cases:
        got, score = predict(text, args.min_score)
        total[expected] += 1
        if got == expected:
            right[expected] += 1
        else:
            misses.append((expected, got, score, text))
    hits = sum(right.values())
    print(f"top-1: {hits}/{len(cases)} ({100 * hits / len(cases):.1f} %)")
    for label in sorted(total):
        print(f"  {label:26} {right[label]:3}/{total[label]:3}")
    if args.misses:
        for expected, got, score, text in misses:
            print(f"  MISS expected {expected}, got {got} ({score:.0f}): {text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
