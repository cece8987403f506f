"""The plain-address fast path of ``check_email`` decides the common case of a staff
export; whatever it decides must be exactly what the full check says."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sapkcheck.checks.email.check import _check_email, check_email, plain_address
from sapkcheck.limits import MAX_VALUE_CHARS

LOCAL_DOMAINS = ("bkpsdm.sumbawakab.go.id", "sumbawakab.go.id")
ADDRESSES = [
    "budi.santoso@gmail.com",
    "budi@gmial.com",  # a domain typo: the full check names it
    "Budi@gmail.com",  # capitals: email-uppercase
    "info@kemenkeu.go.id",  # an RFC 2142 name
    "x@localhost",
    "siti_nur+sapk@yahoo.co.id",
    "a@b.co",
    "guru@sdn1.belajar.id",
    "pegawai@bkpsdm.sumbawakab.go.id",
    "pegawai@bkpsdm.sumbawakb.go.id",  # near the profile's domain
    "a" * 65 + "@gmail.com",
    "dot..dot@gmail.com",
    "budi@gmail.com.",
    "budi@xn--bcher-kva.com",
    "budi@192.168.0.1",
    "budi@gmail",
    "",
]
local_parts = st.from_regex(r"\A[a-zA-Z0-9._+\-]{1,20}\Z")
domains = st.sampled_from(
    ["gmail.com", "gmial.com", "yahoo.co.id", "belajar.id", "kemenkeu.go.id", "test", "x.y"]
)
generated = st.builds(lambda local, domain: f"{local}@{domain}", local_parts, domains)
# The address on record made from the one typed: the same, changed in case, with debris
# around it, in another local part or domain, too long to be an address.
ON_RECORD: dict[str, Callable[[str], str]] = {
    "same": lambda text: text,
    "upper": str.upper,
    "capital": str.capitalize,
    "spaced": lambda text: f" {text} ",
    "wrapped": lambda text: f"<{text}>",
    "other-local": lambda text: "lain@" + text.rpartition("@")[2],
    "other-domain": lambda text: text.rpartition("@")[0] + "@yahoo.co.id",
    "typo-domain": lambda text: text.rpartition("@")[0] + "@gmial.com",
    "too-long": lambda text: "a" * MAX_VALUE_CHARS + text,
}


@settings(max_examples=600, deadline=None)
@given(
    text=st.sampled_from(ADDRESSES) | generated,
    registered=st.none()
    | st.sampled_from(list(ON_RECORD))
    | st.sampled_from(ADDRESSES)
    | generated
    | st.emails(),
    local_domains=st.sampled_from([(), LOCAL_DOMAINS]),
)
@example(text="budi.santoso@gmail.com", registered="same", local_domains=())
@example(text="budi.santoso@gmail.com", registered="budi.santoso@gmial.com", local_domains=())
def test_the_fast_path_says_what_the_full_check_says(
    text: str, registered: str | None, local_domains: tuple[str, ...]
) -> None:
    on_record = ON_RECORD[registered](text) if registered in ON_RECORD else registered
    quick = plain_address(text, on_record, local_domains)
    full = _check_email(text, on_record, None, False, local_domains)
    if quick is not None:
        assert quick == full
    assert check_email(text, registered=on_record, local_domains=local_domains) == full


def test_the_fast_path_takes_the_common_case_only() -> None:
    assert plain_address("budi.santoso@gmail.com", "budi.santoso@gmail.com", ()) is not None
    assert plain_address("budi.santoso@gmail.com", None, ()) is not None
    for text in ("Budi@gmail.com", "budi@gmial.com", " budi@gmail.com", "budi@gmail"):
        assert plain_address(text, text, ()) is None
    # another plain address on record: compared as typed
    for on_record, code in (
        ("lain@gmail.com", "email-mismatch"),
        ("BUDI@gmail.com", "email-case-differs"),
    ):
        quick = plain_address("budi@gmail.com", on_record, ())
        assert quick is not None and [f.code for f in quick.findings] == [code]
    # one with something to clean goes the full way
    for on_record in (" lain@gmail.com", "<lain@gmail.com>", "lain@gmail.com\u200b"):
        assert plain_address("budi@gmail.com", on_record, ()) is None
