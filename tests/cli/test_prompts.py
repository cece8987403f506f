"""The one stdin reader: '-' values, the password line and the guide's answers."""

from __future__ import annotations

import io

import pytest

from sapkcheck.cli.prompts import MAX_LINE_BYTES, read_all, read_line
from sapkcheck.errors import UsageProblem


def stream(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"eli@gmail.com \r\nnext\n", ["eli@gmail.com ", "next", None]),
        (b"a\rb", ["a\rb", None]),  # a lone CR inside a line is kept: it is what was typed
        (b" \xc2\xa0x\xe2\x80\x8b\n", [" \u00a0x\u200b", None]),
        (b"", [None]),
        (b"\n", ["", None]),
    ],
)
def test_read_line_keeps_what_was_typed(data: bytes, lines: list[str | None]) -> None:
    source = stream(data)
    assert [read_line(source) for _ in lines] == lines


def test_read_line_on_a_text_only_stream() -> None:
    assert read_line(io.StringIO("Rahasia 1\n")) == "Rahasia 1"


@pytest.mark.parametrize("reader", [read_line, read_all])
def test_undecodable_input_is_a_usage_problem(reader: object) -> None:
    with pytest.raises(UsageProblem) as problem:
        reader(stream(b"caf\xe9\n"))  # type: ignore[operator]
    assert problem.value.key == "error-stdin-unreadable"
    assert problem.value.params == {"position": 4}  # the damaged byte, 1-based


@pytest.mark.parametrize("reader", [read_line, read_all])
def test_input_is_bounded(reader: object) -> None:
    with pytest.raises(UsageProblem) as problem:
        reader(stream(b"x" * (MAX_LINE_BYTES + 1)))  # type: ignore[operator]
    assert problem.value.key == "error-stdin-too-long"
    assert reader(stream(b"x" * MAX_LINE_BYTES)) == "x" * MAX_LINE_BYTES  # type: ignore[operator]


def test_read_all_drops_one_final_line_ending_only() -> None:
    assert read_all(stream(b"Operasi\nGagal\r\n\r\n")) == "Operasi\nGagal\r\n"


def test_a_reason_key_is_said_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    """fail() words a reason key through the catalog: no 'directory-missing' or the
    operating system's English inside an Indonesian sentence."""
    from sapkcheck.cli.session import Session, fail

    Session.lang = "id"
    try:
        with pytest.raises(SystemExit) as exit_info:
            fail("error-table-unwritable", path="out/x.csv", reason="directory-missing")
    finally:
        Session.lang = "id"
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "foldernya belum ada" in err
    assert "directory-missing" not in err
