from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from typer.testing import CliRunner

from sapkcheck.cli import app


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Run:
    """Run the real command in-process; stdout and stderr kept apart."""
    base = {"SAPKCHECK_LANG": None, "NO_COLOR": None, "SAPKCHECK_PROFILE": None}
    result = CliRunner().invoke(
        app, list(args), input=input, env={**base, **(env or {})}, catch_exceptions=False
    )
    return Run(result.exit_code, result.stdout, result.stderr)
