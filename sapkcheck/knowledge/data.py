"""The one reader of package data (``sapkcheck/data``, ``sapkcheck/catalog``).

Files beside the package are read directly (importing ``importlib.resources`` costs ~3 ms of
start-up, paid by every command); inside a zipapp or a frozen build, where there are no
such files, through ``importlib.resources``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def read_data(*parts: str) -> str:
    """The text of a package data file, e.g. ``read_data("data", "faq.toml")``.

    A UTF-8 BOM (left by some editors) is dropped."""
    path = _PACKAGE_DIR.joinpath(*parts)
    if path.is_file():
        return path.read_text(encoding="utf-8-sig")
    from importlib.resources import files

    resource = files("sapkcheck")
    for part in parts:
        resource = resource.joinpath(part)
    return resource.read_text(encoding="utf-8-sig")


def read_toml(*parts: str) -> dict[str, Any]:
    return tomllib.loads(read_data(*parts))
