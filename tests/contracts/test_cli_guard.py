"""The CLI test helper cannot be fooled by the CLI's own crash handler (exit 2 + a sentence)."""

from __future__ import annotations

import pytest

import sapkcheck.diagnosis
from sapkcheck.checks.nip import NipResult
from tests.helpers import InternalFailure, run_cli


def _crash(*args: object, **kwargs: object) -> NipResult:
    raise RuntimeError("planted")


def test_helper_fails_on_an_internal_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sapkcheck.diagnosis, "check_nip", _crash)
    with pytest.raises(InternalFailure):
        run_cli("check", "--nip", "198609262015051001")
    with pytest.raises(InternalFailure):
        run_cli("check", "--nip", "198609262015051001", "--lang", "en")


def test_an_expected_internal_failure_is_reported_as_exit_2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sapkcheck.diagnosis, "check_nip", _crash)
    run = run_cli("check", "--nip", "198609262015051001", expect_internal_failure=True)
    assert run.exit_code == 2
    assert "RuntimeError" in run.stderr
    assert "Traceback" not in run.stderr


def test_every_output_format_has_a_renderer() -> None:
    """The single-document dispatch is exhaustive: every format renders a real output."""
    import io

    from sapkcheck.knowledge.i18n import catalog
    from sapkcheck.knowledge.profile import load_profile
    from sapkcheck.render import outputs
    from sapkcheck.render.console import ColorMode
    from sapkcheck.render.formats import OutputFormat

    output = outputs.ProfileOutput(load_profile(), catalog("en"))
    for output_format in OutputFormat:
        stream = io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdout", stream)
            outputs.emit(output, output_format, ColorMode.NEVER)
        assert stream.getvalue().strip(), output_format
