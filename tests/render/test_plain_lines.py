"""A plain report (a file, a pipe) is wrapped without rich's per-line work: the lines
must be exactly what rich prints, on every text and width."""

from __future__ import annotations

import io

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from sapkcheck.render.console import plain_lines, print_indented, print_line

# Words, runs of blanks, the report's marks, look-alikes and characters rich measures
# itself (wide, zero-width, combining): the fast path must give way to rich on those.
pieces = st.sampled_from(
    [
        *(" ", "  ", "   ", "a", "kata", "x" * 30, "y" * 90, "✗", "⟨U+200B⟩", "␣", "а", "é"),
        *("→", "\u200b", "王", "e\u0301", "😀", "\t", "\xa0", "-", "(baris 12)", "Ω"),
        *("–", "—", "“kata”", "‘", "…", "\u2028", "\u2060", "\u00ad", "\u0301"),
    ]
)
texts = st.lists(pieces, max_size=40).map("".join)


def _console(width: int) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    return console, buffer


@settings(max_examples=400, deadline=None)
@given(text=texts, width=st.integers(0, 120), indent=st.sampled_from([0, 2, 4]))
@example(text="kata " * 30, width=80, indent=2)
@example(text="y" * 200 + "  z", width=22, indent=2)
def test_indented_lines_are_rich_s_own(text: str, width: int, indent: int) -> None:
    console, fast = _console(width)
    print_indented(console, Text(text, "red"), indent)
    reference, slow = _console(width)
    for line in Text(text, "red").wrap(reference, max(width - indent, 20)):
        line.rstrip()
        reference.print(" " * indent, line, sep="")
    assert fast.getvalue() == slow.getvalue()


@settings(max_examples=400, deadline=None)
@given(text=texts, width=st.integers(0, 120), indent=st.sampled_from([0, 2]))
@example(text="\x1b[31m✗ [nip-length] merah\x07", width=80, indent=2)  # control codes
@example(text="✗ [email-syntax] " + "kata " * 30, width=60, indent=2)
def test_an_indented_str_prints_as_its_text(text: str, width: int, indent: int) -> None:
    """A str (a listed row's finding line) prints exactly as ``Text(str)`` does."""
    console, fast = _console(width)
    print_indented(console, text, indent)
    reference, slow = _console(width)
    print_indented(reference, Text(text), indent)
    assert fast.getvalue() == slow.getvalue()


@settings(max_examples=400, deadline=None)
@given(text=texts.filter(bool), width=st.integers(0, 120))
@example(text="baris 7  " + "nama " * 20, width=80)
@example(text="baris 7", width=0)  # COLUMNS=0
@example(text="   é     axxxxxxxxxxxx   ✗(baris 12)", width=1)  # a first word with spaces before it
@example(text="   ✗xxxxxxxxxxxxxxxxxx   →     ", width=2)  # folded, its spaces after it too
@example(text="aaaaa   bbb cc", width=5)  # a folded last piece of spaces starts a line
def test_lines_are_rich_s_own(text: str, width: int) -> None:
    console, fast = _console(width)
    print_line(console, Text(text, "bold"))
    reference, slow = _console(width)
    reference.print(Text(text, "bold"))
    assert fast.getvalue() == slow.getvalue()


def test_text_rich_must_measure_is_left_to_it() -> None:
    for text in ("王", "e\u0301", "a\tb", "\u200b", "😀"):
        assert plain_lines(text, 80, strip=True) is None
    assert plain_lines("✗ [email-syntax] ⟨U+200B⟩ а", 80, strip=True) is not None
