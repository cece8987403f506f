"""The summary of ``batch --registered-file``: what the export held and which of its NIPs
the current file lacks. Counts in every report; the NIP lists in JSON, streamed (an export
of millions of NIPs is never held as a list of strings).

JSON contract (``summary.registered_file``, added in schema_version 1)::

    {"rows": int,            # non-empty data rows of the export
     "nips": int,            # distinct NIPs indexed (rows with a valid NIP, duplicates once)
     "invalid_nips": int,    # rows whose NIP is not a valid 18-digit NIP: not joined
     "duplicates": int,      # NIPs on more than one export row (the first row's email is used)
     "missing": int,         # NIPs of the export that no row of the current file has
     "duplicate_nips": [str], "missing_nips": [str]}   # ascending; masked with --mask
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from sapkcheck.batch.masking import mask_nip
from sapkcheck.batch.registered import RegisteredFile
from sapkcheck.knowledge.i18n import Catalog

_LIST_CHUNK = 4096  # NIPs written per write() call


@dataclass(frozen=True, slots=True)
class RegisteredReport:
    file: RegisteredFile
    mask: bool

    def counts(self) -> dict[str, int]:
        stats = self.file.stats
        return {
            "rows": stats.rows,
            "nips": len(self.file.index),
            "invalid_nips": stats.invalid,
            "duplicates": len(stats.duplicates),
            "missing": self.file.missing,
        }

    def missing_nips(self) -> Iterator[str]:
        """The export's NIPs no row of the current file has, ascending (masked with --mask)."""
        return self._shown(self.file.missing_nips())

    def duplicate_nips(self) -> Iterator[str]:
        """The NIPs on more than one export row (masked with --mask)."""
        return self._shown(self.file.duplicate_nips())

    def _shown(self, nips: Iterable[str]) -> Iterator[str]:
        for nip in nips:
            yield mask_nip(nip) if self.mask else nip  # digits or stars only

    def write_json(self, stream: TextIO) -> None:
        """The ``registered_file`` object, its lists streamed."""
        stream.write(json.dumps(self.counts())[:-1])
        for key, nips in (
            ("duplicate_nips", self.duplicate_nips()),
            ("missing_nips", self.missing_nips()),
        ):
            stream.write(f', "{key}": [')
            self._write_list(stream, nips)
            stream.write("]")
        stream.write("}")

    def _write_list(self, stream: TextIO, nips: Iterable[str]) -> None:
        batch: list[str] = []
        first = True
        for nip in nips:
            batch.append(f'"{nip}"')
            if len(batch) == _LIST_CHUNK:
                stream.write(("" if first else ", ") + ", ".join(batch))
                batch, first = [], False
        if batch:
            stream.write(("" if first else ", ") + ", ".join(batch))

    def line(self, text: Catalog) -> str:
        """One sentence with the counts, under the summary line."""
        return text.ui(
            "batch-registered-summary",
            **{name: text.number(count) for name, count in self.counts().items()},
        )
