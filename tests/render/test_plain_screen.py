"""A check's report written to a pipe or a file is made without rich (start-up): it must be
byte for byte what rich's console writes, and the plain console must be chosen only where
rich's would be plain with the same width."""

from __future__ import annotations

import io
import sys
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import get_character_cell_size
from rich.console import Console

from sapkcheck.diagnosis import run_check
from sapkcheck.findings import CODES
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.knowledge.profile import load_profile
from sapkcheck.render import console as console_module
from sapkcheck.render.console import (
    ASCII_SYMBOLS,
    UNICODE_SYMBOLS,
    ColorMode,
    PlainConsole,
    make_console,
    make_screen,
)
from sapkcheck.render.context import profile_context
from sapkcheck.render.explain import render_explain
from sapkcheck.render.styled import Styled
from sapkcheck.render.text import render_brief, render_check

_ENVIRONMENT = ("COLUMNS", "TTY_COMPATIBLE", "FORCE_COLOR", "NO_COLOR", "TERM", "LINES")


class _Stream(io.TextIOWrapper):
    """A file-like stream of a chosen encoding that may say it is a terminal."""

    def __init__(self, encoding: str = "utf-8", tty: bool = False) -> None:
        super().__init__(io.BytesIO(), encoding=encoding, newline="\n")
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def written(self) -> str:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue().decode(self.encoding)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def test_one_column_characters_are_rich_s() -> None:
    """The characters written without rich are those rich gives one column each."""
    candidates = [
        chr(code)
        for start, stop in console_module._ONE_COLUMN_RANGES
        for code in range(start, stop)
    ]
    marks = {*UNICODE_SYMBOLS, *ASCII_SYMBOLS, "⟨", "⟩"}
    expected = {
        ch
        for ch in (*candidates, *marks)
        if len(ch) == 1 and ch.isprintable() and get_character_cell_size(ch) == 1
    }
    assert console_module._one_column_chars() == expected


# The environment rich reads when it makes a console, and what the stream says it is.
settings_values = st.fixed_dictionaries(
    {
        "COLUMNS": st.sampled_from([None, "", "0", "1", "20", "80", "132", "abc", "٣٣"]),
        "TTY_COMPATIBLE": st.sampled_from([None, "", "0", "1", "2"]),
        "FORCE_COLOR": st.sampled_from([None, "", "0", "1"]),
        "NO_COLOR": st.sampled_from([None, "", "1"]),
        "TERM": st.sampled_from([None, "dumb", "xterm-256color"]),
        "LINES": st.sampled_from([None, "24"]),
    }
)


@settings(max_examples=300, deadline=None)
@given(
    environment=settings_values,
    color=st.sampled_from(list(ColorMode)),
    tty=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "ascii"]),
)
def test_the_plain_console_stands_only_for_a_plain_rich_one(
    environment: dict[str, str | None], color: ColorMode, tty: bool, encoding: str
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        stream = _Stream(encoding, tty)
        screen = make_screen(stream, color)
        rich_console = make_console(stream, color)
        if isinstance(screen, PlainConsole):
            assert rich_console.color_system is None
            assert getattr(rich_console, "convert", None) is None
            assert not rich_console.is_terminal
            assert screen.width == rich_console.width
            assert screen.rich().width == rich_console.width
        else:
            assert isinstance(screen, Console)
    if not tty and encoding == "utf-8" and color is not ColorMode.ALWAYS:
        # where rich releases read the environment alike: neither variable set
        plain = not environment["TTY_COMPATIBLE"] and environment["FORCE_COLOR"] is None
        assert isinstance(screen, PlainConsole) is (plain and sys.platform != "win32")


# Styled lines of every kind of piece: words, spaces, marks, look-alikes, and characters
# rich measures or drops itself (wide, zero-width, combining, tabs, control codes).
pieces = st.sampled_from(
    [
        *(" ", "  ", "a", "kata", "x" * 30, "y" * 90, "✗", "⟨U+200B⟩", "␣", "а", "é", "→"),
        *("\u200b", "王", "e\u0301", "😀", "\t", "\xa0", "(baris 12)", "–", "…", "\r", "\x07"),
    ]
)
styles = st.sampled_from(["", "bold", "dim", "bold red reverse", "underline"])


@st.composite
def styled_lines(draw: st.DrawFn, depth: int = 2) -> Styled:
    line = Styled(draw(pieces), draw(styles))
    for _ in range(draw(st.integers(0, 5))):
        if depth and draw(st.booleans()):
            line.append_text(draw(styled_lines(depth=depth - 1)))
        else:
            line.append(draw(st.lists(pieces, max_size=4).map("".join)), draw(styles))
    return line


@settings(max_examples=300, deadline=None)
@given(line=styled_lines(), columns=st.sampled_from(["1", "19", "40", "80", "200"]))
def test_a_styled_line_prints_as_rich_prints_its_text(line: Styled, columns: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", columns)
        fast, slow = _Stream(), _Stream()
        screen = make_screen(fast)
        assert isinstance(screen, PlainConsole)
        screen.print(line)
        screen.print()
        make_console(slow).print(line.as_text())
        make_console(slow).print()
    assert fast.written() == slow.written()


def test_a_styled_line_keeps_rich_s_styles() -> None:
    """``Styled`` replays the calls a rich Text got: the same spans, base style included."""
    from rich.text import Span, Text

    def built(make: Any) -> Any:
        """The same calls on a Styled and on a Text."""
        inner = make("b", "dim")
        inner.append("c", "red")
        line = make("a", "bold")
        line.append("", "green")
        line.append_text(inner)
        line.append("d")
        return line

    line = built(Styled)
    assert line.as_text() == built(Text)
    assert line.as_text().style == "bold"
    assert line.as_text().spans == [Span(1, 3, "dim"), Span(2, 3, "red")]
    assert line.plain == "abcd"


# What staff paste: separators, invisible characters, look-alikes, wide text, long values.
nips = st.sampled_from(
    [
        "19860926 201505 1 001",
        "198609262015051001",
        "\u200b19860926\u00a0201505 1 001 ",
        "１９８６０９２６２０１５０５１００１",
        "1986-0926-2015\t051001",
        "19860926201505100",
        "NIP: 19860926 201505 1 001 (王)",
        "9" * 300,
    ]
)
emails = st.sampled_from(
    [
        None,
        "budi@gmail.com",
        " budi.santoso@gmial.com ",
        "budi\u200b@gmail.com",
        "bu di@yahoo.co.id",
        "budі@gmail.com",  # a Cyrillic і
        "budi@@gmail..com",
        "x" * 90 + "@gmail.com",
        "😀@gmail.com",
    ]
)


@settings(max_examples=120, deadline=None)
@given(
    nip=nips,
    email=emails,
    lang=st.sampled_from(["id", "en"]),
    brief=st.booleans(),
    columns=st.sampled_from([None, "20", "60", "80", "120"]),
)
def test_a_check_report_is_rich_s_byte_for_byte(
    nip: str, email: str | None, lang: str, brief: bool, columns: str | None
) -> None:
    report = run_check(nip=nip, email=email, today=date(2026, 12, 6))
    text = catalog(lang)  # type: ignore[arg-type]
    context = profile_context(load_profile(None), text)
    render = render_brief if brief else render_check
    with pytest.MonkeyPatch.context() as patch:
        if columns is not None:
            patch.setenv("COLUMNS", columns)
        fast, slow = _Stream(), _Stream()
        screen = make_screen(fast, ColorMode.AUTO)
        assert isinstance(screen, PlainConsole)
        render(report, text, context, screen)
        render(report, text, context, make_console(slow, ColorMode.AUTO))
    assert fast.written() == slow.written()


@settings(max_examples=40, deadline=None)
@given(
    codes=st.lists(st.sampled_from(sorted(CODES)), min_size=1, max_size=4, unique=True),
    lang=st.sampled_from(["id", "en"]),
    listing=st.booleans(),
    columns=st.sampled_from([None, "20", "60", "80"]),
)
def test_explain_is_rich_s_byte_for_byte(
    codes: list[str], lang: str, listing: bool, columns: str | None
) -> None:
    text = catalog(lang)  # type: ignore[arg-type]
    shown = sorted(CODES) if listing else codes
    with pytest.MonkeyPatch.context() as patch:
        if columns is not None:
            patch.setenv("COLUMNS", columns)
        fast, slow = _Stream(), _Stream()
        screen = make_screen(fast)
        assert isinstance(screen, PlainConsole)
        render_explain(shown, text, screen, listing=listing)
        render_explain(shown, text, make_console(slow), listing=listing)
    assert fast.written() == slow.written()


def test_a_legacy_code_page_gets_rich_s_console_with_stand_ins() -> None:
    """A cp1252 stream is no plain console's: its report lines, built without rich, are
    converted before rich wraps them (a Cyrillic look-alike would not encode there)."""
    report = run_check(nip="19860926 201505 1 001", email="bu dі@gmial.com")  # і: U+0456
    text = catalog("id")
    stream = _Stream("cp1252")
    screen = make_screen(stream)
    assert not isinstance(screen, PlainConsole)
    render_check(report, text, profile_context(load_profile(None), text), screen)
    written = stream.written()
    assert "->" in written and "[SP]" in written
    assert "[email-inner-space]" in written and "bu[SP]d\\u0456@gmial.com" in written
