"""Choices of the batch options that shape its outputs (light: the CLI imports them)."""

from __future__ import annotations

import enum


class Show(enum.StrEnum):
    """Which rows the text report lists (``--show``)."""

    ERRORS = "errors"  # rows with errors
    WARNINGS = "warnings"  # rows with errors or warnings (the default)
    ALL = "all"  # every row


class FixedNip(enum.StrEnum):
    """How a CSV fixed copy writes a NIP it changed (``--fixed-nip``)."""

    TEXT = "text"  # ="198609262015051001": spreadsheets keep every digit, as text
    PLAIN = "plain"  # bare digits: for systems that import the file
