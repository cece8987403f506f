"""Problems with the invocation or input as a whole (exit code 2), as catalog keys."""

from __future__ import annotations

from typing import Any


class UsageProblem(Exception):
    """Unusable invocation or input. ``key`` names a ``[ui]`` sentence of the catalog."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
