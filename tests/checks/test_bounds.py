"""Bounded work for any value (issue 14, item 1): a value past ``MAX_VALUE_CHARS`` gets one
finding and no further work; a kind of finding past ``MAX_FINDINGS_PER_KIND`` gets one
"and N more" finding; and whatever the value, one check stays well under 0.1 s."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sapkcheck.checks.email.check import check_email
from sapkcheck.checks.nip import check_nip
from sapkcheck.checks.token import check_token
from sapkcheck.diagnosis import run_check
from sapkcheck.findings import CODES, Finding, Severity
from sapkcheck.limits import MAX_FINDINGS_PER_KIND, MAX_VALUE_CHARS

MEGABYTE = 1 << 20


def codes(findings: tuple[Finding, ...] | list[Finding]) -> Counter[str]:
    return Counter(f.code for f in findings)


# --------------------------------------------------------------------------- the campaign cases


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("eli@gmail.com" + "." * MEGABYTE, id="email-then-1MB-of-dots"),
        pytest.param("mailto:" * 100_000 + "eli@gmail.com", id="100k-mailto"),
        pytest.param('"' * 500_000 + "eli@gmail.com" + '"' * 500_000, id="nested-quotes-500k"),
    ],
)
def test_campaign_email_values_give_one_finding_fast(value: str) -> None:
    started = time.perf_counter()
    result = check_email(value)
    elapsed = time.perf_counter() - started
    assert [f.code for f in result.findings] == ["email-too-long"]
    assert result.findings[0].params == {"length": len(value), "maximum": MAX_VALUE_CHARS}
    assert result.cleaned == ""  # nothing to "fix" in a value that was not examined
    assert elapsed < 0.1


def test_value_at_the_cap_is_examined_one_past_is_not() -> None:
    at_cap = "a@b.co" + " " * (MAX_VALUE_CHARS - 6)
    assert "email-trailing-space" in codes(check_email(at_cap).findings)
    assert codes(check_email(at_cap + " ").findings) == {"email-too-long": 1}


def test_registered_email_past_the_cap() -> None:
    result = check_email("eli@gmail.com", registered="x" * (MAX_VALUE_CHARS + 1))
    assert [(f.code, f.detail) for f in result.findings] == [("email-too-long", "registered")]


def test_nip_and_token_past_the_cap() -> None:
    assert codes(check_nip("1" * MEGABYTE).findings) == {"nip-too-long": 1}
    assert codes(check_token("a" * MEGABYTE).findings) == {"token-too-long": 1}
    assert codes(check_nip("1" * MAX_VALUE_CHARS).findings) == {"nip-length": 1}


def test_wrappers_past_the_cap_are_one_more_finding() -> None:
    dots = 900
    found = codes(check_email("eli@gmail.com" + "." * dots).findings)
    assert found == {"email-wrapper": MAX_FINDINGS_PER_KIND, "email-more-findings": 1}
    more = next(f for f in check_email("eli@gmail.com" + "." * dots).findings if "more" in f.code)
    assert more.params == {"kind": "email-wrapper", "count": dots - MAX_FINDINGS_PER_KIND}
    assert more.severity is CODES["email-wrapper"].severity
    assert more.faq == CODES["email-wrapper"].faq


def test_exactly_the_cap_gives_no_more_finding() -> None:
    found = codes(check_email("eli@gmail.com" + "." * MAX_FINDINGS_PER_KIND).findings)
    assert found == {"email-wrapper": MAX_FINDINGS_PER_KIND}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("e l i " * 20 + "@gmail.com", "email-inner-space"),
        ("e\u200bl" * 20 + "@gmail.com", "email-invisible-char"),
        ("\u0430b" * 20 + "@gmail.com", "email-confusable"),
    ],
)
def test_inner_findings_past_the_cap_are_counted(value: str, code: str) -> None:
    findings = check_email(value).findings
    found = codes(findings)
    assert found[code] == MAX_FINDINGS_PER_KIND
    more = [f for f in findings if f.code == "email-more-findings"]
    assert len(more) == 1 and more[0].params["kind"] == code
    assert int(more[0].params["count"] or 0) > 0


def test_nip_runs_past_the_cap_counted_per_kind() -> None:
    """The NIP lists its first five runs of bad characters (either kind); the rest are
    counted per kind."""
    findings = check_nip("1a" * 8 + "\u0661b" * 3).findings
    more = {f.params["kind"]: f.params["count"] for f in findings if f.code == "nip-more-findings"}
    assert more == {"nip-invalid-chars": 3 + 3, "nip-lookalike-digits": 3}
    findings = check_nip("\u0661x" * 7).findings
    more = {f.params["kind"]: f.params["count"] for f in findings if f.code == "nip-more-findings"}
    assert more == {"nip-lookalike-digits": 4, "nip-invalid-chars": 5}


def test_token_confusables_past_the_cap() -> None:
    findings = [f for f in check_token("\u0430" * 9).findings if f.severity is Severity.ERROR]
    assert codes(findings) == {"token-confusable": MAX_FINDINGS_PER_KIND, "token-more-findings": 1}
    more = findings[-1]
    assert more.params == {"kind": "token-confusable", "count": 9 - MAX_FINDINGS_PER_KIND}
    assert more.severity is Severity.ERROR


# --------------------------------------------------------------------------- the property

# Pieces an adversary repeats: every wrapper, blank and look-alike the cleaners unwrap.
PIECES = [
    ".", ",", ";", ":", "mailto:", "MAILTO:", '"', "'", "<", ">", "(", ")", "[", "]", "`",
    "*", "_", "~", "\u201c", "\u201d", "\u00ab", "\u00bb", " ", "\u00a0", "\u200b", "\ufeff",
    "\u3164", "@", "@@", "a", "\u0430", "\uff41", "\uff20", "1", "\u0661", "-", "gmial.com",
    "Nama <", "eli@gmail.com", "\r\n", "\t",
]  # fmt: skip


def adversarial() -> st.SearchStrategy[str]:
    """A few pieces, each repeated up to 50,000 times: long, not random noise."""
    run = st.tuples(st.sampled_from(PIECES), st.integers(1, 50_000)).map(lambda p: p[0] * p[1])
    return st.lists(run, min_size=1, max_size=4).map("".join)


def _median_seconds(check: Callable[[], object], runs: int = 3) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        check()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(value=adversarial(), other=adversarial())
def test_any_value_is_checked_in_bounded_time_with_bounded_findings(value: str, other: str) -> None:
    """Per value, the median of three runs stays under 0.1 s (typically a few ms: the bound
    is generous for shared machines), and no kind of finding is listed more than the cap."""
    checks: list[Callable[[], tuple[Finding, ...] | list[Finding]]] = [
        lambda: check_email(value, registered=other).findings,
        lambda: check_nip(value).findings,
        lambda: check_token(value).findings,
        lambda: run_check(email=value, nip=other, token=value).findings,
    ]
    for check in checks:
        check()  # warm the caches (look-alike tables, typo index): not per-value work
        assert _median_seconds(check) < 0.1
        for code, count in codes(check()).items():
            assert count <= MAX_FINDINGS_PER_KIND, code
