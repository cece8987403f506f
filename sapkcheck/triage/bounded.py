"""Text collected line by line up to a limit: a chat message or a question never holds more
than its limit, however long the export (the rest is dropped, and that is noted)."""

from __future__ import annotations


class BoundedLines:
    __slots__ = ("limit", "parts", "size", "truncated")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def add(self, text: str) -> None:
        if self.truncated:
            return
        room = self.limit - self.size - (1 if self.parts else 0)
        if len(text) > room:
            self.truncated = True
            if room <= 0:
                return
            text = text[:room]
        self.size += len(text) + (1 if self.parts else 0)
        self.parts.append(text)
