"""Where a batch row's time goes, stage by stage, in one process (best of 3 rounds).

Generates the staff file ``benchmarks/batch.py`` uses (same generator, same seed) and
times, per row: reading and parsing the CSV, ``check_row``, a row decided as a worker
decides it (``clean_row``, ``check_row`` for the rest), the jsonl row's text, the
checks across rows, and a worker's whole loop over its spans (the stages together, as a
run interleaves them: the sum of the stages alone is not their cost together). Run it on
two checkouts to compare them:

    python benchmarks/batch_stages.py --rows 20000
    PYTHONPATH=/path/to/other/checkout python benchmarks/batch_stages.py --rows 20000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from batch import generate  # benchmarks/batch.py, beside this file

from sapkcheck.batch.rows import check_row

try:
    from sapkcheck.batch.cross_rows import CrossRowChecks
except ImportError:  # a checkout before it
    from sapkcheck.batch.rows import CrossRowChecks  # type: ignore[attr-defined,no-redef]
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.render.batch import RecordBuilder


def best(work: Callable[[], object], rounds: int = 3) -> float:
    fastest = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.csv"
        generate(path, args.rows, args.seed, keep=False)
        with open_table(path) as table:
            rows = list(table)
            columns = table.columns
        today = date.today()

        def read() -> None:
            with open_table(path) as again:
                for _ in again:
                    pass

        results = [check_row(row, columns, today) for row in rows]
        records = RecordBuilder(catalog("id"), {}, mask=False)
        if hasattr(records, "record_json"):  # a checkout before it: json.dumps of the record

            def row_text() -> None:
                for result in results:
                    records.record_json(result, False)
        else:

            def row_text() -> None:
                for result in results:
                    json.dumps(records.record(result), ensure_ascii=False)

        def across() -> None:
            cross = CrossRowChecks()
            if not hasattr(cross, "found_in"):  # a checkout before it: a row at a time
                for result in results:
                    cross.duplicates(result.row, result.nip_key, result.email_key)
                return
            from sapkcheck.batch.rows import email_number, nip_key_number

            for at in range(0, len(results), 2000):  # as a run does: a chunk at a time
                chunk = results[at : at + 2000]
                cross.found_in(
                    [r.row for r in chunk],
                    [nip_key_number(r.nip_key) for r in chunk],
                    [email_number(r.email_key) for r in chunk],
                )

        def worker() -> None:
            """What a worker does for a row, all stages together: its spans read,
            checked, rendered as jsonl and keyed (``pipeline.process_span``)."""
            from sapkcheck.batch.pipeline import BatchSettings, process_span
            from sapkcheck.batch.ranges import plan_spans
            from sapkcheck.render.batch import JsonRecordRenderer

            with open_table(path) as again:
                plan = plan_spans(again)
            assert plan is not None, "the generated file is one record a line"
            source, spans = plan
            render = JsonRecordRenderer(records, only_findings=False, ascii_only=False)
            settings = BatchSettings(columns, today, render, want_fixed=False)
            for span in spans:
                process_span(source, span, settings)

        def decide() -> None:
            """What a worker does to decide a row: the clean path, the general for the
            rest (a checkout before it: check_row alone)."""
            try:
                from sapkcheck.batch.rows import clean_row
            except ImportError:
                clean_row = None
            for row in rows:
                if clean_row is None or clean_row(row, columns, today) is None:
                    check_row(row, columns, today)

        count = len(rows)
        stages = {
            "read and parse a CSV row": read,
            "check_row": lambda: [check_row(row, columns, today) for row in rows],
            "clean_row, else check_row": decide,
            "a jsonl row's text": row_text,
            "checks across rows": across,
            "a worker's row (all stages)": worker,
        }
        print(f"{count:,} rows, python {sys.version.split()[0]}")
        for name, work in stages.items():
            print(f"{name:<26} {best(work) / count * 1e6:7.2f} us/row")
    return 0


if __name__ == "__main__":
    sys.exit(main())
