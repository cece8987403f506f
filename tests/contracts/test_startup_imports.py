"""Lazy imports are a contract: a real command loads only the heavy modules it needs.

Each case runs the installed entry point in a fresh interpreter and lists ``sys.modules``
when the process exits (a check of the real command, not of an import of the package).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# rich: a check's text report written to a pipe or a file is printed without it (a tenth
# of the start-up); the help, explain and faq screens use it.
HEAVY = ("openpyxl", "email_validator", "rapidfuzz", "rich", "multiprocessing", "dns", "numpy")

PROBE = """
import atexit, json, sys
atexit.register(lambda: sys.__stderr__.write("MODULES=" + json.dumps(sorted(sys.modules)) + "\\n"))
sys.argv = ["sapkcheck", *json.loads(sys.argv[1])]
from sapkcheck.cli import main
main()
"""

CASES = {
    "check-nip": (["check", "--nip", "19860926 201505 1 001"], set()),
    "check-token": (["check", "--token", "AB12CD"], set()),
    "check-email": (["check", "--email", "eli.sari@gmail.com"], {"email_validator", "rapidfuzz"}),
    "explain": (["explain", "nip-serial"], set()),
    "explain-list": (["explain", "--format", "json"], set()),
    "faq-list": (["faq"], {"rich"}),
    "faq-search": (["faq", "operasi gagal"], {"rapidfuzz", "rich"}),
    "check-message": (["check", "--message", "Operasi Gagal"], {"rapidfuzz"}),
}


def loaded_modules(args: list[str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES="))
    return set(json.loads(line.removeprefix("MODULES=")))


@pytest.mark.parametrize("case", sorted(CASES))
def test_heavy_modules_stay_unloaded(case: str) -> None:
    args, needed = CASES[case]
    modules = loaded_modules(args)
    for heavy in HEAVY:
        present = any(name == heavy or name.startswith(heavy + ".") for name in modules)
        if heavy in needed:
            continue
        assert not present, f"{case}: {heavy} loaded by {args}"


def test_probe_sees_what_a_command_loads() -> None:
    """The probe itself can fail: an email check does load email_validator."""
    assert "email_validator" in loaded_modules(CASES["check-email"][0])
