"""Output format names shared by the CLI and the renderers (a light module: start-up)."""

import os
from enum import StrEnum


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class BatchFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    XLSX = "xlsx"


class TriageFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    REPLY = "reply"


# Formats that are files with a type of their own: an output path with this suffix implies
# the format, and a --format that contradicts the suffix is a usage error.
_SUFFIX_FORMATS = {".xlsx": BatchFormat.XLSX}
_FILE_ONLY = frozenset({BatchFormat.XLSX})  # binary: never stdout
# Text formats a suffix implies when --format is not given (an admin who writes
# laporan.csv means the CSV report); an explicit --format still wins over these.
_TEXT_SUFFIX_FORMATS = {
    ".csv": BatchFormat.CSV,
    ".json": BatchFormat.JSON,
    ".jsonl": BatchFormat.JSONL,
    ".ndjson": BatchFormat.JSONL,
    ".txt": BatchFormat.TEXT,
}


def batch_format(requested: BatchFormat | None, output: str | None) -> BatchFormat:
    """The report format of a run: ``--format`` as given, else what the ``--output`` suffix
    implies (.xlsx, .csv, .json, .jsonl/.ndjson, .txt), else text. Raises ``UsageProblem``
    (exit 2, before any work) for a format that contradicts the suffix, or a binary format
    without a file to write."""
    from sapkcheck.errors import UsageProblem

    suffix = "" if output is None else os.path.splitext(output)[1].lower()
    implied = _SUFFIX_FORMATS.get(suffix)
    chosen = requested or implied or _TEXT_SUFFIX_FORMATS.get(suffix) or BatchFormat.TEXT
    if chosen in _FILE_ONLY and (output is None or output == "-"):
        raise UsageProblem("error-format-needs-output", format=str(chosen))
    if (implied is not None and chosen is not implied) or (
        chosen in _FILE_ONLY and implied is not chosen
    ):
        raise UsageProblem("error-format-extension", format=str(chosen), path=output or "")
    return chosen
