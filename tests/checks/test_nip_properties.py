"""Property-based tests: the NIP checker and the CLI never crash, whatever is typed."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from sapkcheck.checks.nip import check_nip
from sapkcheck.knowledge.i18n import catalog, placeholders
from tests.helpers import run_cli

TODAY = date(2026, 11, 29)
nip_like = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 .-'NIP\u00a0\u200b١２", max_size=40),
    st.from_regex(r"\A[0-9]{18}\Z"),
    st.builds(lambda s: s * 200, st.text(min_size=1, max_size=50)),
)


@given(nip_like)
def test_checker_never_crashes_and_spans_are_in_range(text: str) -> None:
    result = check_nip(text, today=TODAY)
    assert result.info.input == text
    for finding in result.findings:
        if finding.span is not None:
            start, end = finding.span
            assert 0 <= start < end <= len(text)
        for lang in ("id", "en"):
            entry = catalog(lang).code(finding.code)
            template = entry.details[finding.detail] if finding.detail else entry.message
            # {names}: the characters in ``codepoints``, named by the catalog
            given = set(finding.params) | ({"names"} if "codepoints" in finding.params else set())
            assert placeholders(template) <= given, finding
            assert placeholders(entry.remedy) <= given, finding


@given(st.from_regex(r"\A[0-9]{18}\Z"))
def test_eighteen_digits_always_normalize(digits: str) -> None:
    info = check_nip(digits, today=TODAY).info
    assert info.normalized == digits


@given(st.from_regex(r"\A[0-9]{18}\Z"), st.sampled_from([" ", ".", "-", "  "]))
def test_display_groups_do_not_change_the_verdict(digits: str, sep: str) -> None:
    grouped = sep.join([digits[:8], digits[8:14], digits[14], digits[15:]])
    plain, shown = check_nip(digits, today=TODAY), check_nip(grouped, today=TODAY)
    assert shown.info.normalized == digits
    strip = lambda r: sorted((f.code, f.detail) for f in r.findings if f.code != "nip-separators")  # noqa: E731
    assert strip(plain) == strip(shown)


@settings(max_examples=60, deadline=None)
@given(nip_like.filter(lambda s: "\x00" not in s and s != "-"), st.sampled_from(["id", "en"]))
def test_cli_json_is_always_one_document(text: str, lang: str) -> None:
    run = run_cli("check", "--nip", text, "--format", "json", "--lang", lang)
    assert run.exit_code in (0, 1)
    doc = json.loads(run.stdout)
    assert doc["nip"]["input"] == text
    assert (doc["status"] == "fail") == (run.exit_code == 1)


@settings(max_examples=60, deadline=None)
@given(nip_like)
def test_cli_text_never_crashes(text: str) -> None:
    run = run_cli("check", "--nip", "-", input=text.encode("utf-8", "surrogatepass"))
    assert run.exit_code in (0, 1, 2)
    assert "Traceback" not in run.stderr
