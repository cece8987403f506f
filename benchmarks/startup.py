"""Start-up cost of ``sapkcheck check`` against a minimal Typer program.

Both run as whole processes, interleaved, many times; the median ratio is printed.
Floor (issue 2): ratio <= 1.3, i.e. heavy imports stay lazy.

    python benchmarks/startup.py [--runs 40] [--nip "19860926 201505 1 001"]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELLO = """\
import typer

app = typer.Typer()


@app.command()
def main(nip: str = "") -> None:
    print("hello", nip)


if __name__ == "__main__":
    app()
"""
FLOOR = 1.3


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--nip", default="19860926 201505 1 001")
    parser.add_argument("--format", default="text", choices=["text", "json"])
    args = parser.parse_args()
    # An installed wheel ships compiled bytecode; an editable checkout under
    # PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on every run.
    import sapkcheck

    compileall.compile_dir(Path(sapkcheck.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        baseline_cmd = [sys.executable, str(hello), "--nip", args.nip]
        ours_cmd = [sys.executable, "-m", "sapkcheck", "check", "--nip", args.nip]
        ours_cmd += ["--format", args.format]
        for _ in range(3):  # warm the file cache and .pyc files
            timed(baseline_cmd)
            timed(ours_cmd)
        baseline, ours, ratios = [], [], []
        for _ in range(args.runs):
            b, o = timed(baseline_cmd), timed(ours_cmd)
            baseline.append(b)
            ours.append(o)
            ratios.append(o / b)
    ratio = statistics.median(ratios)
    print(f"runs: {args.runs} interleaved pairs")
    print(f"typer hello-world median: {statistics.median(baseline) * 1000:.1f} ms")
    print(f"sapkcheck check median:   {statistics.median(ours) * 1000:.1f} ms")
    print(f"median ratio: {ratio:.3f} (floor <= {FLOOR}) {'PASS' if ratio <= FLOOR else 'FAIL'}")
    return 0 if ratio <= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
