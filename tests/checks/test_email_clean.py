"""``clean_address`` keeps the core of an address whole when nothing inside it can be a
space or an invisible character (printable ASCII without a space): the same result as
looking at every character."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sapkcheck.checks.chars import is_invisible, is_space
from sapkcheck.checks.email.clean import clean_address

pieces = st.sampled_from(
    [
        *("budi", "@", "gmail.com", " ", "\t", "\u00a0", "\u200b", "<", ">", '"', "mailto:"),
        *("x", ".", ",", ";", "*", "\x00", "\x7f", "é", "\u0430", "Nama Pegawai ", "'", "`"),
    ]
)
texts = st.lists(pieces, max_size=12).map("".join) | st.text(max_size=30)


@settings(max_examples=800, deadline=None)
@given(texts)
@example("budi@gmail.com  ")
@example("<budi@gmail.com>")
@example("budi@gma il.com ")
def test_the_kept_core_is_every_character_that_is_neither_space_nor_invisible(
    text: str,
) -> None:
    cleaned = clean_address(text)
    start, end = cleaned.core
    core = range(start, end)
    assert cleaned.address == "".join(
        text[i] for i in core if not is_space(text[i]) and not is_invisible(text[i])
    )
    assert cleaned.inner_spaces == [i for i in core if is_space(text[i])]
    assert cleaned.inner_invisible == [
        i for i in core if not is_space(text[i]) and is_invisible(text[i])
    ]
