"""The checks across rows: duplicate NIPs (error) and emails shared by different NIPs
(warning), found in input order from compact keys (``rows.nip_key_number``,
``rows.email_number`` or ``rows.email_hash``).

The keys are kept in flat numpy arrays (open addressing) and a chunk of rows is probed at
once: the main process of a parallel run does this for every row of the file, and a probe
a row in Python cost ~1.5-2.8 us (cache misses, 6 M rows), where numpy takes a fraction.
12 bytes a slot for the NIPs, 20 for the emails; a dict of ints took ~220 a row."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from sapkcheck.batch.rows import email_number, nip_key_number

Keys: TypeAlias = npt.NDArray[np.int64]
Rows: TypeAlias = npt.NDArray[np.signedinteger[Any]]
Found = tuple[int | None, int | None]

_NARROW_ROW_MAX = 2**31 - 1  # the largest row number a table's int32 rows hold
# Keys still probing when this few are left go on one at a time: the last few of a chunk
# are the long chains, and a numpy round costs more than a few Python probes.
SCALAR_TAIL = 32


def _prime_at_least(number: int) -> int:
    """The smallest prime >= ``number`` (a table's size: a key's slot is the key modulo
    it, so NIPs, which differ in a few decimal digits, spread over every slot)."""
    candidate = number | 1 if number > 2 else 2
    while any(candidate % divisor == 0 for divisor in range(3, math.isqrt(candidate) + 1, 2)):
        candidate += 2
    return candidate


class _Slots:
    """An open-addressing table on flat arrays: int64 key (never 0: 0 marks an empty slot)
    -> first row (int32 until a row number needs more), and for a tagged table an int64
    tag beside it. At most 75 % of the slots used; a prime number of them, a key's first
    slot its value modulo that, the next ones after it (linear probing)."""

    __slots__ = ("count", "keys", "limit", "rows", "size", "tags")
    LOAD = 0.75

    def __init__(self, wanted: int, tagged: bool, row_type: type[np.signedinteger[Any]] = np.int32):
        self.size = size = _prime_at_least(wanted)
        self.limit = int(size * self.LOAD)
        self.count = 0
        self.keys: Keys = np.zeros(size, np.int64)
        self.rows: Rows = np.zeros(size, row_type)  # 0: an empty slot (rows start at 1)
        self.tags: Keys | None = np.zeros(size, np.int64) if tagged else None

    def widened(self) -> None:
        """Rows as int64 (a file of more than 2**31 rows, most of them blank)."""
        self.rows = self.rows.astype(np.int64)

    def slots_of(self, wanted: Keys) -> Keys:
        """Each key's slot (none 0): where it is, or the empty slot it now holds (its row
        still 0: the caller's to set). Equal keys get the same slot."""
        size, keys = self.size, self.keys
        slots: Keys = wanted % size
        pending: Keys | None = None  # where the keys still probing are in ``wanted``: all
        probing, at = wanted, slots
        while True:
            held = keys[at]
            empty = held == 0
            if empty.any():
                # Keys that want the same empty slot: one write wins, the others see
                # another key there below and probe on.
                keys[at[empty]] = probing[empty]
                held = keys[at]
            other = np.flatnonzero(held != probing)
            if not other.size:
                return slots
            pending = other if pending is None else pending[other]
            probing = probing[other]
            at = at[other] + 1
            at[at == size] = 0
            slots[pending] = at
            if pending.size <= SCALAR_TAIL:
                break
        for index, key, slot in zip(pending.tolist(), probing.tolist(), at.tolist(), strict=True):
            while (held_key := int(keys[slot])) and held_key != key:
                slot = slot + 1 if slot + 1 < size else 0
            if not held_key:
                keys[slot] = key
            slots[index] = slot
        return slots

    def grown(self, wanted: int) -> _Slots:
        """A table of ``wanted`` slots or more, every key moved."""
        used = np.flatnonzero(self.keys)
        bigger = _Slots(wanted, self.tags is not None, self.rows.dtype.type)
        slots = bigger.slots_of(self.keys[used])
        bigger.rows[slots] = self.rows[used]
        if bigger.tags is not None and self.tags is not None:
            bigger.tags[slots] = self.tags[used]
        bigger.count = used.size
        return bigger


class CrossRowChecks:
    """Duplicate NIPs and emails shared by different NIPs, a chunk of rows at a time, in
    input order: NIPs as integers, emails as a 64-bit hash (a false duplicate needs a
    collision: about 1e-6 for 6 million rows) with the NIP of the email's first row beside
    it."""

    _NO_NIP = -1

    def __init__(self, expected_rows: int = 0) -> None:
        # Sized for the rows expected (a file that holds more grows the tables as it goes):
        # a table grown late holds its old and new arrays at once.
        wanted = max(4096, int(expected_rows / _Slots.LOAD) + 1)
        self._nips = _Slots(wanted, tagged=False)
        self._emails = _Slots(wanted, tagged=True)

    def duplicates(self, row: int, nip_key: str | None, email_key: str | None) -> Found:
        """(first row with the same NIP, first row with the same email and another NIP)."""
        found = self.found_in([row], [nip_key_number(nip_key)], [email_number(email_key)])
        return found.get(row, (None, None))

    def found_in(
        self, numbers: Sequence[int], nips: Sequence[int], emails: Sequence[int]
    ) -> dict[int, Found]:
        """:meth:`duplicates` of rows in input order, by their keys already taken: the
        NIP as an integer, the email as a 64-bit hash, 0 where there is none (one run
        takes them one way: ``rows.email_number`` or ``rows.email_hash``). Only the rows
        with a duplicate are in the answer. The NIPs are looked at first, then the emails:
        neither depends on the other's answers."""
        if not numbers:
            return {}
        numbered = (  # a range (a span's rows) made in C, not taken an int at a time
            np.arange(numbers.start, numbers.stop, numbers.step, dtype=np.int64)
            if isinstance(numbers, range)
            else np.asarray(numbers, dtype=np.int64)
        )
        nip_keys = np.asarray(nips, dtype=np.int64)
        if numbered[-1] > _NARROW_ROW_MAX and self._nips.rows.dtype != np.int64:
            self._nips.widened()
            self._emails.widened()
        nip_firsts = self._first_rows(numbered, nip_keys)
        email_firsts = self._first_rows(numbered, np.asarray(emails, dtype=np.int64), nip_keys)
        return {
            row: (nip_firsts.get(row), email_firsts.get(row))
            for row in sorted(nip_firsts.keys() | email_firsts.keys())
        }

    def _first_rows(
        self, numbers: Keys, keys_in: Keys, tags_in: Keys | None = None
    ) -> dict[int, int]:
        """Each row whose key an earlier row holds (with ``tags_in``, an earlier row of
        another tag, a NIP or ``_NO_NIP``): its number -> that earlier row's."""
        keyed = np.flatnonzero(keys_in)
        if not keyed.size:
            return {}
        numbers, keys_in = numbers[keyed], keys_in[keyed]
        table = self._table(tags_in is not None, keyed.size)
        slots = table.slots_of(keys_in)
        rows = table.rows
        new = np.flatnonzero(rows[slots] == 0)  # keys no earlier chunk held
        new_slots, new_rows = slots[new], numbers[new]
        # A key new here takes its least row (the first in input order). Where several
        # rows share a new key one write wins, so the others lower it until none can.
        rows[new_slots] = new_rows
        while (lower := np.flatnonzero(rows[new_slots] > new_rows)).size:
            rows[new_slots[lower]] = new_rows[lower]
        firsts = rows[slots]
        duplicate = firsts != numbers
        table.count += new.size - int(np.count_nonzero(duplicate[new]))
        if tags_in is not None and table.tags is not None:
            tags = tags_in[keyed]  # a copy
            tags[tags == 0] = self._NO_NIP
            held_tags = table.tags
            first_new = new[~duplicate[new]]
            held_tags[slots[first_new]] = tags[first_new]
            duplicate &= held_tags[slots] != tags
        found = np.flatnonzero(duplicate)
        return dict(zip(numbers[found].tolist(), firsts[found].tolist(), strict=True))

    def _table(self, tagged: bool, adding: int) -> _Slots:
        """The NIPs' or the emails' table, grown first where ``adding`` new keys could
        pass its limit."""
        table = self._emails if tagged else self._nips
        if table.count + adding > table.limit:
            table = table.grown(int(2 * max(table.size, (table.count + adding) / _Slots.LOAD)))
            if tagged:
                self._emails = table
            else:
                self._nips = table
        return table
