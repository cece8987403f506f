from __future__ import annotations

import json
import signal
from dataclasses import dataclass
from typing import Any

from typer.testing import CliRunner

from sapkcheck.cli import app
from sapkcheck.knowledge.i18n import LANGS, catalog


def internal_failure_markers() -> tuple[str, ...]:
    """The start of the internal-failure sentence in every language (from the catalog, so
    a reworded sentence cannot make the guard blind)."""
    return tuple(catalog(lang).ui("error-internal", error="\0").split("\0")[0] for lang in LANGS)


def hear_ctrl_c() -> None:
    """Run in a child before it execs the program: Ctrl-C (SIGINT) as a person's terminal
    delivers it. A shell without job control (a CI runner's ``cmd &``) starts commands with
    SIGINT ignored, an ignored signal stays ignored across exec, and Python then installs no
    handler: the program under test would never see the Ctrl-C a test sends."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class InternalFailure(AssertionError):
    """The CLI turned a crash into exit 2: a test that accepts exit 2 must not pass on it."""


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(
    *args: str,
    input: str | bytes | None = None,
    env: dict[str, str] | None = None,
    expect_internal_failure: bool = False,
) -> Run:
    """Run the real command in-process; stdout and stderr kept apart.

    The internal-failure sentence fails the test unless the test says it expects one."""
    base = {"SAPKCHECK_LANG": None, "NO_COLOR": None, "SAPKCHECK_PROFILE": None}
    result = CliRunner().invoke(
        app, list(args), input=input, env={**base, **(env or {})}, catch_exceptions=False
    )
    run = Run(result.exit_code, result.stdout, result.stderr)
    if not expect_internal_failure and any(m in run.stderr for m in internal_failure_markers()):
        raise InternalFailure(f"sapkcheck {' '.join(args)!r} failed internally: {run.stderr}")
    return run
