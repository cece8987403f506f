"""How well ``sapkcheck faq`` / ``check --message`` find the right FAQ entry for what people
type: top-1 rate over a list of paraphrases written by hand (benchmarks/data/).

    python benchmarks/faq_matcher.py [--lang id]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sapkcheck.knowledge.faq import search

CASES = Path(__file__).parent / "data" / "faq_paraphrases.tsv"


def load_cases(path: Path = CASES) -> list[tuple[str, str]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            expected, text = line.split("\t", 1)
            cases.append((expected, text))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    args = parser.parse_args()
    cases = load_cases()
    misses = []
    for expected, text in cases:
        ranked = search(text, args.lang, limit=3)
        best = ranked[0][0].id if ranked else None
        if best != expected:
            misses.append((text, expected, [(e.id, round(s)) for e, s in ranked]))
    hits = len(cases) - len(misses)
    print(f"top-1: {hits}/{len(cases)} ({100 * hits / len(cases):.1f} %)")
    for text, expected, ranked in misses:
        print(f"  MISS {text!r}: expected {expected}, got {ranked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
