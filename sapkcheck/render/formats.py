"""Output format names shared by the CLI and the renderers (a light module: start-up)."""

from enum import StrEnum


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class BatchFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


class TriageFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    REPLY = "reply"
