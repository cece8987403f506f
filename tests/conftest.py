from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers import Run, run_cli


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SAPKCHECK_LANG", "NO_COLOR", "SAPKCHECK_PROFILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli() -> Callable[..., Run]:
    return run_cli
