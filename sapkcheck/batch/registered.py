"""``batch --registered-file``: the export on record (SAPK/SIASN) as a compact index from
NIP to the email on record, joined with the current file by NIP.

The current file streams; the export is read once, before any row is checked, into
:class:`RegisteredIndex`: the NIPs as a sorted ``array('q')`` (8 bytes each), for each NIP
the position of its email, and the emails' text in one UTF-8 blob (the part after the last
``@`` stored once per distinct domain). About 30 bytes per export row for typical
addresses; no Python object per row. Lookups are a ``bisect`` (about a microsecond).

The join key is the row's NIP key (:func:`sapkcheck.batch.rows.nip_cell_key`): the 18 digits
of a NIP the NIP check reads as PNS or PPPK, the key duplicates are found by too. An export
row whose NIP has no such key (missing, too short, a number cell Excel cut to 15 digits) is
counted as invalid and not indexed. A NIP on several export rows is counted once as a
duplicate; the email of its first row is the one on record.

The index crosses to worker processes once, with the pool's settings: inherited by ``fork``
(its arrays are never written after the build, so the pages stay shared), pickled once per
worker by ``spawn``.
"""

from __future__ import annotations

import contextlib
import heapq
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sapkcheck.batch.output import _stdin_is, is_stdout, same_file
from sapkcheck.batch.rows import cell_text, nip_cell_key
from sapkcheck.batch.tables.model import CellValue, Table, TableError
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.errors import UsageProblem

NIP_DIGITS = 18
_SORT_CHUNK = 1 << 18  # rows sorted at a time before the merge: bounds the sort's Python objects
_NO_DOMAIN = 0xFFFF  # the email is stored whole (no "@", or too many distinct domains)
_MAX_DOMAINS = _NO_DOMAIN - 1


@dataclass(slots=True)
class RegisteredStats:
    """What the export held, for the summary."""

    rows: int = 0  # non-empty data rows of the export
    invalid: int = 0  # rows whose NIP has no key (not indexed)
    duplicates: array[int] = field(default_factory=lambda: array("q"))  # each NIP once


class _Builder:
    """Rows in file order: keys sorted a chunk at a time, emails appended to the blob."""

    def __init__(self) -> None:
        self.blob = bytearray()
        self.starts: array[int] = array("I", [0])
        self.domain_ids: array[int] = array("H")
        self.domains: dict[str, int] = {}
        self.chunks: list[tuple[array[int], array[int]]] = []  # (sorted keys, positions)
        self._pending: list[int] = []  # key << 18 | position in the chunk
        self._count = 0

    def add(self, key: int, email: str) -> None:
        local, at, domain = email.rpartition("@")
        domain_id = _NO_DOMAIN
        if at:
            domain_id = self.domains.setdefault(domain, len(self.domains))
            if domain_id > _MAX_DOMAINS:
                del self.domains[domain]
                domain_id = _NO_DOMAIN
        text = local if domain_id != _NO_DOMAIN else email
        self.blob += text.encode("utf-8", "surrogatepass")
        if self.starts.typecode == "I" and len(self.blob) > 0xFFFFFFFF:
            self.starts = array("q", self.starts)
        self.starts.append(len(self.blob))
        self.domain_ids.append(domain_id)
        self._pending.append(key << 18 | (self._count & (_SORT_CHUNK - 1)))
        self._count += 1
        if len(self._pending) == _SORT_CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        self._pending.sort()
        base = len(self.chunks) * _SORT_CHUNK
        keys = array("q", (packed >> 18 for packed in self._pending))
        positions = array("I", (base + (packed & (_SORT_CHUNK - 1)) for packed in self._pending))
        self._pending = []
        self.chunks.append((keys, positions))

    def finish(self, stats: RegisteredStats) -> RegisteredIndex:
        self._flush()
        keys: array[int] = array("q")
        order: array[int] = array("I")
        last = -1
        # Ties keep file order (positions rise chunk by chunk): the first row's email wins.
        for key, position in heapq.merge(*(zip(k, p, strict=True) for k, p in self.chunks)):
            if key == last:
                if not stats.duplicates or stats.duplicates[-1] != key:
                    stats.duplicates.append(key)
                continue
            keys.append(key)
            order.append(position)
            last = key
        self.chunks = []
        domains = [""] * len(self.domains)
        for domain, number in self.domains.items():
            domains[number] = domain
        # The bytearray itself, not a bytes() copy: a second blob would double the peak.
        return RegisteredIndex(keys, order, self.starts, self.domain_ids, self.blob, domains)


class RegisteredIndex:
    """NIP -> the email text on record, compactly. ``get`` answers ``None`` when the NIP is
    not in the export, ``""`` when its row has no email."""

    __slots__ = ("_blob", "_domain_ids", "_domains", "_keys", "_order", "_starts")

    def __init__(
        self,
        keys: array[int],
        order: array[int],
        starts: array[int],
        domain_ids: array[int],
        blob: bytearray,
        domains: list[str],
    ) -> None:
        self._keys, self._order, self._starts = keys, order, starts
        self._domain_ids, self._blob, self._domains = domain_ids, blob, domains

    def __len__(self) -> int:
        return len(self._keys)

    def slot(self, nip: str) -> int | None:
        """Where ``nip`` (a NIP key) is in the sorted keys; None when absent."""
        key = int(nip)
        slot = bisect_left(self._keys, key)
        return slot if slot < len(self._keys) and self._keys[slot] == key else None

    def get(self, nip: str) -> str | None:
        slot = self.slot(nip)
        if slot is None:
            return None
        position = self._order[slot]
        text = self._blob[self._starts[position] : self._starts[position + 1]].decode(
            "utf-8", "surrogatepass"
        )
        domain_id = self._domain_ids[position]
        return text if domain_id == _NO_DOMAIN else f"{text}@{self._domains[domain_id]}"

    def nip_at(self, slot: int) -> str:
        return f"{self._keys[slot]:0{NIP_DIGITS}d}"

    def nbytes(self) -> int:
        """Bytes held by the index's arrays and blob (for the benchmark)."""
        arrays = (self._keys, self._order, self._starts, self._domain_ids)
        return sum(a.itemsize * len(a) for a in arrays) + len(self._blob)


@dataclass(slots=True)
class RegisteredFile:
    """The export, indexed, and which of its NIPs the current file has shown so far."""

    index: RegisteredIndex
    stats: RegisteredStats
    seen: bytearray

    def mark(self, nip_key: str | None) -> None:
        """The current file has a row with this NIP key (main process, every row)."""
        if nip_key is not None:
            slot = self.index.slot(nip_key)
            if slot is not None:
                self.seen[slot] = 1

    @property
    def missing(self) -> int:
        """NIPs of the export that no row of the current file has."""
        return len(self.seen) - self.seen.count(1)

    def missing_nips(self) -> Iterator[str]:
        """Those NIPs, ascending."""
        find = self.seen.find
        slot = find(0)
        while slot >= 0:
            yield self.index.nip_at(slot)
            slot = find(0, slot + 1)

    def duplicate_nips(self) -> Iterator[str]:
        for key in self.stats.duplicates:
            yield f"{key:0{NIP_DIGITS}d}"


def _blank(cell: CellValue) -> bool:
    text = cell_text(cell)
    return text is None or not text.strip()


def load_registered(path: Path, sheet: str | None, today: date) -> RegisteredFile:
    """Read the export into the index. Its NIP and email columns are found as in the current
    file; the email on record is the column headed as such (``EMAIL SAPK``,
    ``EMAIL TERDAFTAR``, ...) if there is one, else the email column. Raises
    :class:`~sapkcheck.batch.tables.model.TableError` for an unusable file, before any row of
    the current file is checked."""
    stats = RegisteredStats()
    builder = _Builder()
    with _open_export(path, sheet) as (table, email_column):
        nip_column = table.columns.nip
        for row in table:
            nip_cell, email_cell = row.cells[nip_column], row.cells[email_column]
            key = nip_cell_key(nip_cell, today)
            if key is None:
                if _blank(nip_cell) and _blank(email_cell):
                    continue  # a blank row (or one without NIP and email) is no entry
                stats.rows += 1
                stats.invalid += 1
                continue
            stats.rows += 1
            builder.add(int(key), cell_text(email_cell) or "")
    index = builder.finish(stats)
    return RegisteredFile(index, stats, bytearray(len(index)))


@contextlib.contextmanager
def _open_export(path: Path, sheet: str | None) -> Iterator[tuple[Table, int]]:
    table = open_table(path, sheet=sheet, require_email=False)
    with table:
        columns = table.columns
        email_column = columns.registered if columns.registered is not None else columns.email
        if email_column is None:
            table.close()
            # The current file's own error, naming the columns found.
            open_table(path, sheet=sheet, require_email=True).close()
            raise TableError("no-email-column", {"path": str(path), "columns": ""})
        yield table, email_column


def check_registered_targets(
    export: Path, source: Path | None, output: Path | None, fixed: Path | None
) -> None:
    """Before any work: the export is neither the current file (named, or redirected to
    stdin) nor an output (also through a link)."""
    if (source is not None and same_file(source, export)) or (source is None and _stdin_is(export)):
        raise UsageProblem("error-registered-is-input", path=str(export))
    for option, target in (("--output", output), ("--fixed", fixed)):
        if target is not None and not is_stdout(target) and same_file(export, target):
            raise UsageProblem("error-target-is-input", option=option, path=str(target))
