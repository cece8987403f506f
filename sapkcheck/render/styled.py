"""A line of styled text built without rich: a report written to a pipe or a file is
plain, and never imports rich (start-up); a terminal gets the same line as rich's Text.

A ``Styled`` records the calls a rich ``Text`` would have received (``Text(text, style)``,
``append``, ``append_text``) and replays them in :meth:`Styled.as_text`, so both show
exactly the same thing (tests/render/test_plain_screen.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text


class Styled:
    __slots__ = ("_parts", "_style", "_text")

    def __init__(self, text: str = "", style: str = "") -> None:
        self._text = text
        self._style = style  # as rich's: the style of the whole line, appended parts too
        self._parts: list[tuple[str, str] | Styled] = []

    def append(self, text: str, style: str = "") -> None:
        self._parts.append((text, style))

    def append_text(self, other: Styled) -> None:
        self._parts.append(other)

    @property
    def plain(self) -> str:
        """The characters, without styles (before rich drops control codes: the plain
        path takes printable text only, see ``console.plain_lines``)."""
        if not self._parts:
            return self._text
        return self._text + "".join(
            part.plain if isinstance(part, Styled) else part[0] for part in self._parts
        )

    def as_text(self) -> Text:
        from rich.text import Text

        text = Text(self._text, self._style)
        for part in self._parts:
            if isinstance(part, Styled):
                text.append_text(part.as_text())
            else:
                text.append(*part)
        return text

    def __rich__(self) -> Text:
        """What rich's ``Console.print`` shows for this line."""
        return self.as_text()
