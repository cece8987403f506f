"""How well messages are recognized: top-1 recall per FAQ entry, precision per entry, and
how many messages about other matters are (rightly) matched to nothing.

Runs the recognizer that ``check --message`` and ``triage`` use on labelled sets of chat
messages (``triage_eval.toml``: the development set; ``triage_holdout.toml``: held out,
written without looking at the recognizer). ``--matcher fuzzy`` runs the 0.1 recognizer
(FAQ fuzzy search, recognized at a score of 70) for a before/after comparison.

    python benchmarks/triage_eval.py [--set dev|holdout|all] [--matcher rules|fuzzy] [--misses]

Floors (issue 11): top-1 recall >= 95 % on messages with an entry; >= 98 % of the others
matched to nothing.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
SETS = {
    "dev": HERE / "triage_eval.toml",
    "holdout": HERE / "triage_holdout.toml",
    "blind": HERE / "triage_blind.toml",
    "final": HERE / "triage_final.toml",
}
NONE = "none"
FUZZY_RECOGNIZED = 70.0


def load_cases(path: Path) -> list[tuple[str, str]]:
    with path.open("rb") as handle:
        return [(case["faq"], case["text"]) for case in tomllib.load(handle)["cases"]]


def predict_rules(text: str) -> str:
    from sapkcheck.knowledge.recognize import recognize

    return recognize(text).entry or NONE


def predict_fuzzy(text: str) -> str:
    from sapkcheck.knowledge.faq import search

    ranked = search(text[:500], limit=1)
    return ranked[0][0].id if ranked and ranked[0][1] >= FUZZY_RECOGNIZED else NONE


def report(name: str, cases: list[tuple[str, str]], matcher: str, misses: bool) -> None:
    predict = predict_rules if matcher == "rules" else predict_fuzzy
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    said: Counter[str] = Counter()
    wrong = []
    for expected, text in cases:
        got = predict(text)
        total[expected] += 1
        said[got] += 1
        if got == expected:
            right[expected] += 1
        else:
            wrong.append((expected, got, text))
    with_entry = sum(n for label, n in total.items() if label != NONE)
    hits = sum(n for label, n in right.items() if label != NONE)
    print(f"== {name} ({len(cases)} messages), matcher {matcher}")
    print(f"  {'entry':26} {'recall':>13} {'precision':>13}")
    for label in sorted(total):
        recall = f"{right[label]}/{total[label]}"
        precision = f"{right[label]}/{said[label]}" if said[label] else "-"
        print(f"  {label:26} {recall:>13} {precision:>13}")
    share = 100 * hits / with_entry
    print(f"  top-1 recall, messages with an entry: {hits}/{with_entry} ({share:.1f} %)")
    if total[NONE]:
        rate = 100 * right[NONE] / total[NONE]
        print(f"  others matched to nothing: {right[NONE]}/{total[NONE]} ({rate:.1f} %)")
    if misses:
        for expected, got, text in wrong:
            print(f"  MISS {expected} -> {got}: {text!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--matcher", choices=["rules", "fuzzy"], default="rules")
    parser.add_argument("--misses", action="store_true", help="list every wrong answer")
    args = parser.parse_args()
    names = list(SETS) if args.set == "all" else [args.set]
    for name in names:
        if SETS[name].exists():
            report(name, load_cases(SETS[name]), args.matcher, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
