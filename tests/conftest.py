from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers import Run, run_cli


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in ("SAPKCHECK_LANG", "NO_COLOR", "SAPKCHECK_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    # No per-user profile of the machine running the tests: an empty configuration folder.
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("APPDATA", str(config))


@pytest.fixture
def cli() -> Callable[..., Run]:
    return run_cli


# Hypothesis profiles: "default" keeps CI fast (Hypothesis's own defaults, so tests that set
# their own max_examples are unaffected); "long" is the deep campaign, selected with
# HYPOTHESIS_PROFILE=long. tests/contracts/test_robustness.py and test_privacy.py give each test
# a share of max_examples (thousands for the in-process tests under "long": ~15 min on two
# cores); HYPOTHESIS_LONG_EXAMPLES=1800 brings the two files down to ~5.5 min.
def _register_hypothesis_profiles() -> None:
    import os

    from hypothesis import HealthCheck, settings

    settings.register_profile("default", max_examples=100)
    settings.register_profile(
        "long",
        max_examples=int(os.environ.get("HYPOTHESIS_LONG_EXAMPLES", "5000")),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    chosen = os.environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        settings.load_profile(chosen)


_register_hypothesis_profiles()
