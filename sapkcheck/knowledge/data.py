"""The one reader of package data (``sapkcheck/data``, ``sapkcheck/catalog``).

Through ``importlib.resources``, so that a zipapp or a frozen build reads them as well as a
wheel or a checkout does.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from typing import Any


def read_data(*parts: str) -> str:
    """The text of a package data file, e.g. ``read_data("data", "faq.toml")``.

    A UTF-8 BOM (left by some editors) is dropped."""
    resource = files("sapkcheck")
    for part in parts:
        resource = resource.joinpath(part)
    return resource.read_text(encoding="utf-8-sig")


def read_toml(*parts: str) -> dict[str, Any]:
    return tomllib.loads(read_data(*parts))
