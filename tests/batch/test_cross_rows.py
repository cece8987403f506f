"""The checks across rows keep their keys in flat arrays (open addressing, grown as the
file goes, probed a chunk at a time): they must find exactly the duplicates a plain dict
finds, in input order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sapkcheck.batch import cross_rows
from sapkcheck.batch.cross_rows import CrossRowChecks, _prime_at_least, _Slots
from sapkcheck.batch.rows import email_number, nip_key_number

Row = tuple[str | None, str | None]


def reference(rows: list[Row]) -> list[tuple[int | None, int | None]]:
    nips: dict[int, int] = {}
    emails: dict[str, tuple[int, int | None]] = {}
    found: list[tuple[int | None, int | None]] = []
    for number, (nip_key, email_key) in enumerate(rows, start=2):
        nip = int(nip_key) if nip_key else None
        nip_first = email_first = None
        if nip is not None:
            first = nips.setdefault(nip, number)
            nip_first = first if first != number else None
        if email_key:
            first, owner = emails.setdefault(email_key, (number, nip))
            if first != number and owner != nip:
                email_first = first
        found.append((nip_first, email_first))
    return found


nips = (
    st.none()
    | st.sampled_from(
        ["197108011997072003", "197108011997072004", "199001012022211001", "000000000000000001"]
    )
    | st.integers(10**17, 10**18 - 1).map(str)
)
emails = st.none() | st.sampled_from(["a@b.co", "c@d.id", "A@b.co"]) | st.emails()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(nips, emails), max_size=300))
def test_duplicates_are_those_a_dict_finds(rows: list[Row]) -> None:
    cross = CrossRowChecks()
    got = [cross.duplicates(number, *row) for number, row in enumerate(rows, start=2)]
    assert got == reference(rows)


def test_tables_grow_and_keep_every_key() -> None:
    rows: list[Row] = []
    for i in range(30_000):  # several doublings of the 4,096 first slots
        rows.append((str(10**17 + i * 1_000_003), f"u{i}@gmail.com"))
        if i % 7 == 0:
            rows.append((str(10**17 + (i // 2) * 1_000_003), f"u{i // 3}@gmail.com"))
    cross = CrossRowChecks()
    got = [cross.duplicates(number, *row) for number, row in enumerate(rows, start=2)]
    assert got == reference(rows)
    assert sum(1 for pair in got if pair != (None, None)) > 4000


@pytest.fixture(params=[cross_rows.SCALAR_TAIL, 0], ids=["scalar-tail", "numpy-only"])
def probing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probes of a chunk as a run makes them (the last few keys one at a time), and all
    in numpy rounds."""
    monkeypatch.setattr(cross_rows, "SCALAR_TAIL", request.param)


def placed(table: _Slots, keys: list[int]) -> list[int]:
    """``keys`` put in ``table`` a chunk at a time (grown first where needed): their slots."""
    wanted = np.array(keys, dtype=np.int64)
    slots = table.slots_of(wanted)
    table.rows[slots[table.rows[slots] == 0]] = 1
    return slots.tolist()


@pytest.mark.usefixtures("probing")
def test_keys_that_share_a_slot_are_told_apart() -> None:
    table = _Slots(60, tagged=True)
    keys = [*range(-20, 0), *range(1, 21)]  # negatives are hashes (0 is no key: never stored)
    keys += [key * table.size for key in range(1, 20)]  # 20 keys that all start at slot 0
    slots = placed(table, keys)
    assert len(set(slots)) == len(keys)
    assert [int(table.keys[slot]) for slot in slots] == keys
    # asked again, in another order and with repeats: the same slots, nothing added
    again = keys[::-1] + keys[:5]
    assert placed(table, again) == slots[::-1] + slots[:5]
    assert np.count_nonzero(table.keys) == len(keys)
    grown = table.grown(4 * table.size)
    moved = placed(grown, keys)
    assert [int(grown.keys[slot]) for slot in moved] == keys
    assert np.count_nonzero(grown.keys) == len(keys) == grown.count


@pytest.mark.usefixtures("probing")
def test_equal_keys_of_one_chunk_share_one_slot() -> None:
    table = _Slots(60, tagged=False)
    slots = placed(table, [5, 5 + table.size, 5, 5 + table.size, 5])
    assert slots[0] == slots[2] == slots[4] != slots[1] == slots[3]
    assert np.count_nonzero(table.keys) == 2


def chunked(
    cross: CrossRowChecks, rows: list[Row], size: int
) -> list[tuple[int | None, int | None]]:
    """:meth:`CrossRowChecks.found_in` over ``rows`` in chunks of ``size`` (numbered from
    2), as each row's pair of first rows."""
    got: list[tuple[int | None, int | None]] = []
    for at in range(0, len(rows), size):
        chunk = rows[at : at + size]
        numbers = list(range(at + 2, at + 2 + len(chunk)))
        found = cross.found_in(
            numbers,
            [nip_key_number(nip) for nip, _ in chunk],
            [email_number(email) for _, email in chunk],
        )
        got += [found.get(number, (None, None)) for number in numbers]
    return got


@pytest.mark.usefixtures("probing")
def test_a_chunk_at_a_time_finds_what_a_row_at_a_time_finds() -> None:
    """found_in over chunks (the tables grow inside a chunk) equals the row-by-row answers."""
    rows: list[Row] = []
    for i in range(20_000):
        rows.append((str(10**17 + i * 1_000_003), f"u{i}@gmail.com"))
        if i % 5 == 0:
            rows.append((str(10**17 + (i // 2) * 1_000_003), f"u{i // 3}@gmail.com"))
        if i % 11 == 0:
            rows.append((None, f"u{i // 4}@gmail.com"))
    expected = reference(rows)
    for size in (1, 7, 2000, 9000, len(rows)):
        assert chunked(CrossRowChecks(), rows, size) == expected, size


def test_row_numbers_past_int32_widen_the_tables() -> None:
    """A file of billions of (blank) rows numbers its later rows past 2**31: the tables'
    int32 rows widen, and the first rows are still named."""
    cross = CrossRowChecks()
    assert cross.found_in([2, 3], [nip_key_number("198609262015051001"), 0], [11, 12]) == {}
    far = 2**33 + 5
    found = cross.found_in(
        [far, far + 1], [nip_key_number("198609262015051001"), nip_key_number(None)], [12, 99]
    )
    assert found == {far: (2, 3)}
    assert cross.found_in([far + 2], [7], [99]) == {far + 2: (None, far + 1)}


@pytest.mark.usefixtures("probing")
def test_keys_of_the_last_slot_wrap_to_the_first() -> None:
    """Keys that all start at the last slot (equal modulo the size, negatives too) take the
    slots after it from the first on, and are found there."""
    table = _Slots(8, tagged=False)
    size = table.size
    keys = [size - 1 + size * k for k in (0, 1, 2, -1, -2)]
    slots = placed(table, keys)
    # which key of a chunk takes which of the crowded slots is the writes' to say
    assert sorted(slots) == [0, 1, 2, 3, size - 1]
    assert placed(table, keys[::-1]) == slots[::-1]
    # the keys left after the first round probe one at a time (the scalar tail): they
    # wrap from the last slot too
    for back in (2, 3):
        table = _Slots(8, tagged=False)
        keys = [size - back + size * k for k in (0, 1, 2, -1, -2)]
        slots = placed(table, keys)
        assert sorted(slots) == sorted((size - back + k) % size for k in range(5))
        assert placed(table, keys) == slots
    # the checks across rows, over chunks of those keys
    cross = CrossRowChecks()
    size = cross._nips.size
    nips = [size - 1 + size * k for k in (1, 2, 3)]
    assert cross.found_in([2, 3, 4], nips, [0, 0, 0]) == {}
    assert cross.found_in([5, 6, 7], nips, [0, 0, 0]) == {5: (2, None), 6: (3, None), 7: (4, None)}


@pytest.mark.usefixtures("probing")
def test_a_chunk_of_colliding_keys_and_repeats() -> None:
    """A chunk whose keys crowd one run of slots (every key the same modulo the size),
    repeated inside the chunk and across chunks, with and without NIPs: the first rows
    are those a dict finds, and the tables grow inside the run."""
    size = CrossRowChecks()._nips.size
    rows: list[Row] = []
    for i in range(6000):
        nip = str(10**17 + (i % 2500) * size)
        rows.append((nip if i % 9 else None, f"x{(i * 7) % 3100}@d.id"))
    expected = reference(rows)
    for chunk in (3000, 6000):
        cross = CrossRowChecks()
        assert chunked(cross, rows, chunk) == expected, chunk
        assert cross._nips.size > size


def test_a_table_s_size_is_the_next_prime() -> None:
    limit = 5000
    composite = bytearray(limit + 200)
    for number in range(2, len(composite)):
        for multiple in range(number * number, len(composite), number):
            composite[multiple] = 1
    primes = [n for n in range(2, len(composite)) if not composite[n]]
    for wanted in range(limit):
        assert _prime_at_least(wanted) == next(p for p in primes if p >= wanted), wanted
