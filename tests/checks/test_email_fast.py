"""The email fast path never disagrees with email-validator, and covers realistic addresses."""

from __future__ import annotations

import string
import time

import email_validator
import pytest
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from sapkcheck.checks.email.fast import (
    CASE_INSENSITIVE_MAILBOX_NAMES as FAST_MAILBOX_NAMES,
)
from sapkcheck.checks.email.fast import SLOW_PATH_TLDS, fast_normalize

SETTINGS = settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def assert_agrees(address: str) -> tuple[str, str] | None:
    """When the fast path decides, email-validator accepts and normalizes identically."""
    fast = fast_normalize(address)
    if fast is None:
        return None
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        pytest.fail(f"fast path accepted {address!r}; email-validator rejects it: {error}")
    assert fast == (valid.normalized, valid.ascii_domain), address
    return fast


def check_and_record(address: str) -> None:
    """assert_agrees, recording who decided (see --hypothesis-show-statistics)."""
    if assert_agrees(address) is not None:
        event("fast path: valid")
        return
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        event("slow path: invalid")
    else:
        event("slow path: valid")


# --- the fast path's assumptions about email-validator ---------------------------------


def test_assumed_email_validator_defaults() -> None:
    assert email_validator.ALLOW_SMTPUTF8
    assert not email_validator.STRICT
    assert email_validator.GLOBALLY_DELIVERABLE
    assert not email_validator.TEST_ENVIRONMENT
    assert not email_validator.ALLOW_QUOTED_LOCAL
    assert not email_validator.ALLOW_DISPLAY_NAME
    assert not email_validator.ALLOW_DOMAIN_LITERAL
    assert not email_validator.ALLOW_EMPTY_LOCAL


def test_special_use_names_are_all_sent_to_the_slow_path() -> None:
    assert set(email_validator.SPECIAL_USE_DOMAIN_NAMES) <= SLOW_PATH_TLDS


def test_case_insensitive_mailbox_names_match() -> None:
    assert set(CASE_INSENSITIVE_MAILBOX_NAMES) == FAST_MAILBOX_NAMES


# --- coverage of realistic addresses ------------------------------------------------------

REALISTIC = [
    "nama.pegawai_01@gmail.com",
    "budi.santoso@gmail.com",
    "Budi.Santoso@Gmail.com",
    "siti_nurhaliza88@yahoo.co.id",
    "SITI.AMINAH@YAHOO.CO.ID",
    "agus-setiawan@yahoo.com",
    "dewi.lestari+sapk@gmail.com",
    "rahmat.hidayat@kemenkeu.go.id",
    "x+y@sub.domain.go.id",
    "nip199001012015031001@bkn.go.id",
    "admin.kepegawaian@bkd.jatengprov.go.id",
    "bkpsdm@bandungkab.go.id",
    "kepegawaian@surabaya.go.id",
    "sdm.setjen@dpr.go.id",
    "andi.pratama@ui.ac.id",
    "Rina.Wulandari@ugm.ac.id",
    "m.fadli@student.itb.ac.id",
    "dosen-01@unair.ac.id",
    "guru.matematika@sman1-yogyakarta.sch.id",
    "tatausaha@smpn2bandung.sch.id",
    "yusuf.maulana@belajar.id",
    "guru123@guru.sd.belajar.id",
    "wahyu_nugroho@outlook.com",
    "putri.ayu@hotmail.com",
    "eko.prasetyo@ymail.com",
    "ahmad.fauzi@rocketmail.com",
    "fitri.handayani@icloud.com",
    "dr.hendra.sp.pd@rsudcibinong.bogorkab.go.id",
    "kasubbag.umum@kemenag.go.id",
    "operator.simpeg@pu.go.id",
    "a@b.co",
    "I.Gusti.Ngurah@baliprov.go.id",
    "Info@BKN.go.id",
    "POSTMASTER@kemendikbud.go.id",
    "nur_azizah-2020@mail.unpad.ac.id",
    "ketut.suardana@denpasarkota.go.id",
    "hasanuddin.m@polri.go.id",
    "t.abdullah@acehprov.go.id",
    "sekretariat@ombudsman.go.id",
    "layanan.asn@menpan.go.id",
]


@pytest.mark.parametrize("address", REALISTIC)
def test_realistic_addresses_take_the_fast_path(address: str) -> None:
    assert assert_agrees(address) is not None


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Budi.Santoso@Gmail.COM", ("Budi.Santoso@gmail.com", "gmail.com")),
        ("INFO@BKN.GO.ID", ("info@bkn.go.id", "bkn.go.id")),
        ("Info.Pegawai@bkn.go.id", ("Info.Pegawai@bkn.go.id", "bkn.go.id")),
        ("abc--d@abc--d.com", ("abc--d@abc--d.com", "abc--d.com")),
        ("a" * 64 + "@" + "b" * 63 + ".id", ("a" * 64 + "@" + "b" * 63 + ".id", "b" * 63 + ".id")),
    ],
)
def test_normalization(address: str, expected: tuple[str, str]) -> None:
    assert fast_normalize(address) == expected
    assert assert_agrees(address) == expected


@pytest.mark.parametrize(
    "address",
    [
        "",
        "budi",
        "budi@",
        "@gmail.com",
        "budi@gmail",
        "budi@@gmail.com",
        "budi@ani@gmail.com",  # a second "@": the domain never takes one
        "budi@gmail.com@",
        "budi@gmail..com",
        ".budi@gmail.com",
        "budi.@gmail.com",
        "bu..di@gmail.com",
        "budi@-gmail.com",
        "budi@gmail-.com",
        "budi@gmail.com.",
        "budi@.gmail.com",
        " budi@gmail.com",
        "budi@gmail.com ",
        "budi@gmail.com\n",
        "budi @gmail.com",
        "Budi <budi@gmail.com>",
        '"budi"@gmail.com',
        "budi@[127.0.0.1]",
        "budi@gmail.c",
        "budi@gmail.c0m",
        "budi@gmail.123",
        "budi@xn--bcher-kva.example.com",
        "budi@xn--bcher-kva.com",
        "budi@ab--cd.com",
        "budi@server.local",
        "budi@LOCALHOST.localhost",
        "budi@foo.test",
        "budi@foo.invalid",
        "budi@foo.onion",
        "budi@10.in-addr.arpa",
        "budi@foo.example",
        "budi@foo.alt",
        "budi@foo.internal",
        "o'brien@gmail.com",
        "budi!@gmail.com",
        "büdi@gmail.com",
        "budi@gmäil.com",
        "budi＠gmail.com",
        "a" * 65 + "@gmail.com",
        "a@" + "b" * 64 + ".com",
        "a" * 64 + "@" + ("b" * 62 + ".") * 3 + "co",
    ],
)
def test_unusual_or_invalid_go_to_the_slow_path(address: str) -> None:
    assert fast_normalize(address) is None


# --- properties -----------------------------------------------------------------------

LOCAL_CHARS = string.ascii_letters + string.digits + "._-+"
LABEL_CHARS = string.ascii_letters + string.digits + "-"
TLDS = [
    "com", "id", "ID", "Com", "net", "org", "co", "io", "info", "online", "xyz", "museum",
    "c", "x", "a" * 63, "a" * 64, "c1", "1c", "123", "c0m",
    *SLOW_PATH_TLDS, "LOCAL", "Test", "Onion", "ARPA", "localdomain", "testing", "locals",
    "xn--p1ai", "co-id", "-id", "id-",
]  # fmt: skip
SPICE = ["", "", "", "", ".", "..", "-", "--", "@", '"', " ", "\n", "<", ">", "!", "'", "é", "İ"]


def spiced(core: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`core` with an occasional odd character inserted somewhere."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        text = draw(core)
        extra = draw(st.sampled_from(SPICE))
        at = draw(st.integers(0, len(text)))
        return text[:at] + extra + text[at:]

    return build()


local_parts = st.one_of(
    st.text(LOCAL_CHARS, min_size=0, max_size=70),
    st.lists(
        st.text(LOCAL_CHARS.replace(".", ""), min_size=1, max_size=20), min_size=1, max_size=6
    ).map(".".join),
    st.sampled_from(sorted(CASE_INSENSITIVE_MAILBOX_NAMES)).map(str.upper),
    st.sampled_from(["Info", "PostMaster", "www", "noc", "infos", "sales.x", "a" * 64]),
    st.integers(60, 66).map(lambda n: "b" * n),
)
labels = st.one_of(
    st.text(LABEL_CHARS, min_size=0, max_size=12),
    st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8),
    st.sampled_from(["gmail", "yahoo", "go", "ac", "sch", "belajar", "xn--bcher-kva", "XN--P1AI"]),
    st.sampled_from(["ab--c", "a---", "abc--d", "-ab", "ab-", "a-b", "1", "123", "_dmarc"]),
    st.integers(61, 65).map(lambda n: "c" * n),
)
domains = st.builds(
    lambda parts, tld: ".".join([*parts, tld]),
    st.lists(labels, min_size=0, max_size=5),
    st.sampled_from(TLDS) | st.text(string.ascii_letters + string.digits, max_size=5),
)


@st.composite
def near_limit(draw: st.DrawFn) -> str:
    """Addresses of 248-258 characters: around the 254 total and 63 label limits."""
    local = "L" * draw(st.integers(1, 66))
    total = draw(st.integers(248, 258))
    tld = draw(st.sampled_from(["id", "com", "museum"]))
    room = total - len(local) - 1 - len(tld)  # for the "label." repeats
    parts: list[str] = []
    while room > 1:
        size = min(room - 1, draw(st.integers(1, 64)))
        parts.append("d" * size)
        room -= size + 1
    if room == 1:
        local += "x"
    return f"{local}@{'.'.join([*parts, tld])}"


STRUCTURAL = "aZ9xn.-_+@'\"<>[]() \n\\é"


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A realistic address with one to three characters inserted, deleted or replaced."""
    text = draw(st.sampled_from(REALISTIC))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        char = draw(st.sampled_from(STRUCTURAL + string.ascii_uppercase))
        text = draw(
            st.sampled_from(
                [
                    text[:at] + char + text[at:],
                    text[:at] + text[at + 1 :],
                    text[:at] + char + text[at + 1 :],
                ]
            )
        )
    return text


address_like = st.one_of(
    spiced(st.builds(lambda lp, d: f"{lp}@{d}", local_parts, domains)),
    near_limit(),
    mutated(),
    st.text(st.sampled_from(STRUCTURAL), max_size=24),
)


@SETTINGS
@given(address_like)
@example("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".id")  # 254
@example("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 59 + ".id")  # 255
def test_address_like_strings_agree_with_email_validator(address: str) -> None:
    check_and_record(address)


@settings(max_examples=1500, deadline=None)
@given(st.text(st.characters(max_codepoint=127)))
def test_arbitrary_ascii_agrees_with_email_validator(address: str) -> None:
    check_and_record(address)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_arbitrary_text_agrees_with_email_validator(address: str) -> None:
    check_and_record(address)


# Realistic by construction: what the fast path promises to decide itself.
plain_atoms = st.text(string.ascii_letters + string.digits + "_-+", min_size=1, max_size=12)
plain_labels = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9-]{0,10}[A-Za-z0-9])?", fullmatch=True).filter(
    lambda label: label[2:4] != "--"
)
plain_tlds = st.text(string.ascii_letters, min_size=2, max_size=6).filter(
    lambda tld: tld.lower() not in SLOW_PATH_TLDS
)
realistic = st.builds(
    lambda atoms, parts, tld: ".".join(atoms) + "@" + ".".join([*parts, tld]),
    st.lists(plain_atoms, min_size=1, max_size=4),
    st.lists(plain_labels, min_size=1, max_size=4),
    plain_tlds,
).filter(lambda address: len(address) <= 254 and address.index("@") <= 64)


@settings(max_examples=1000, deadline=None)
@given(realistic)
def test_realistic_addresses_are_decided_by_the_fast_path(address: str) -> None:
    assert assert_agrees(address) is not None


def test_fast_enough() -> None:
    addresses = REALISTIC * 250
    start = time.perf_counter()
    for address in addresses:
        fast_normalize(address)
    per_call = (time.perf_counter() - start) / len(addresses)
    assert per_call < 10e-6  # generous: ~1 µs expected; guards against a regex blow-up


@pytest.mark.parametrize(
    "address",
    [
        "a@" + "a-" * 126,
        "a@" + "a" * 61 + "-" * 191,
        "a." * 126 + "@",
        "a@" + "a.a-" * 63,
        "a@" + "a" * 250 + "!",
    ],
)
def test_no_catastrophic_backtracking(address: str) -> None:
    start = time.perf_counter()
    for _ in range(100):
        fast_normalize(address)
    assert time.perf_counter() - start < 0.05


def test_a_domain_decided_once_is_decided_the_same_for_every_address() -> None:
    """The domain's verdict is cached: the local part is still matched on every call."""
    assert fast_normalize("budi@Dinas.Go.ID") == ("budi@dinas.go.id", "dinas.go.id")
    assert fast_normalize("ani.s@Dinas.Go.ID") == ("ani.s@dinas.go.id", "dinas.go.id")
    assert fast_normalize("ani..s@Dinas.Go.ID") is None
    assert fast_normalize("Postmaster@Dinas.Go.ID") == ("postmaster@dinas.go.id", "dinas.go.id")
    assert fast_normalize("budi@foo.test") is None and fast_normalize("ani@foo.test") is None
