"""Typo hints for government mail domains (issue 12): a slip in a known go.id name or in the
region profile's own domains, and ``*.co.id`` of a known go.id name; and no hint at all for
real domains, however close they are to a target (``sapkcheck.checks.email.typos``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sapkcheck.checks.email.check import check_email
from sapkcheck.checks.email.typos import suggest_domains
from sapkcheck.knowledge.profile import ProfileError, load_profile, parse_profile

SUMBAWA = load_profile().domains()
REAL_GO_ID = tuple(
    f"{line.strip()}.go.id"
    for line in (Path(__file__).parent / "data" / "real_go_id_names.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
)
# Profiles of regions whose domain sits close to others (one or two edits).
PROFILES = (
    SUMBAWA,
    ("bkpsdm.bandungkab.go.id",),
    ("ntbprov.go.id",),
    ("sumbarprov.go.id",),
    ("sulselprov.go.id",),
    ("sulutprov.go.id",),
    ("tegalkab.go.id",),
    ("bimakab.go.id",),
    ("malangkota.go.id",),
)


@pytest.mark.parametrize(
    ("typed", "local", "expected"),
    [
        # from the issue (the Sumbawa profile's region domain is sumbawakab.go.id)
        ("sumbawakap.go.id", SUMBAWA, "sumbawakab.go.id"),
        ("kemenkue.go.id", (), "kemenkeu.go.id"),
        ("sumbawakab.co.id", SUMBAWA, "sumbawakab.go.id"),
        ("kemenkeu.co.id", (), "kemenkeu.go.id"),
        ("belajar.co.id", (), "belajar.id"),
        # sub-domains before the name are kept
        ("bkpp.sumbawakap.go.id", SUMBAWA, "bkpp.sumbawakab.go.id"),
        ("guru.sd.belajar.co.id", (), "guru.sd.belajar.id"),
        # a region the data file does not know: only its profile makes the hint
        ("dompukap.go.id", ("bkpsdm.dompukab.go.id",), "dompukab.go.id"),
        ("dmpukab.go.id", ("dompukab.go.id",), "dompukab.go.id"),
        ("dompukab.co.id", ("dompukab.go.id",), "dompukab.go.id"),
        ("jakarta.co.id", ("jakarta.go.id",), "jakarta.go.id"),  # own region: even a city name
        # other slips in known agency names
        ("kemenkeuu.go.id", (), "kemenkeu.go.id"),
        ("kemenkumhan.go.id", (), "kemenkumham.go.id"),
        ("kemdikbud.co.id", (), "kemdikbud.go.id"),
        ("Kemenkeu.CO.ID", (), "kemenkeu.go.id"),
    ],
)
def test_slip_in_a_government_name_gets_a_hint(
    typed: str, local: tuple[str, ...], expected: str
) -> None:
    assert suggest_domains(typed, local) == (expected,)


def test_a_slip_between_two_names_lists_both() -> None:
    assert set(suggest_domains("kemendagr.go.id")) == {"kemendagri.go.id", "kemendag.go.id"}


@pytest.mark.parametrize("typed", ["dompukap.go.id", "dompukab.co.id"])
def test_without_the_profile_an_unknown_region_gets_no_hint(typed: str) -> None:
    assert suggest_domains(typed) == ()
    assert suggest_domains(typed, SUMBAWA) == ()


LEGITIMATE = (
    # the targets themselves
    "sumbawakab.go.id",
    "bkpp.sumbawakab.go.id",
    "kemenkeu.go.id",
    "belajar.id",
    "guru.sd.belajar.id",
    "gmail.com",
    "yahoo.co.id",
    # real companies under co.id, short initials, city names
    "telkom.co.id",
    "bri.co.id",
    "bni.co.id",
    "bca.co.id",
    "mandiri.co.id",
    "pertamina.co.id",
    "pln.co.id",
    "indosat.co.id",
    "astra.co.id",
    "bankntb.co.id",
    "posindonesia.co.id",
    "tvri.co.id",
    "jakarta.co.id",
    "bandung.co.id",
    "surabaya.co.id",
    "bps.co.id",
    "kpu.co.id",
    # other kabupaten close to the profile's (sumbawakab)
    "sumbawabaratkab.go.id",
    "sumbakab.go.id",
    # universities
    "unsoed.ac.id",
    "unila.ac.id",
    "unej.ac.id",
    "unud.ac.id",
    "usk.ac.id",
    "unpatti.ac.id",
    "untan.ac.id",
    "ulm.ac.id",
    "unmul.ac.id",
    "uinsby.ac.id",
    "umy.ac.id",
    "ums.ac.id",
    "uii.ac.id",
    "binus.ac.id",
    "trisakti.ac.id",
    "untar.ac.id",
    "atmajaya.ac.id",
    "petra.ac.id",
    "unpas.ac.id",
    "unsrat.ac.id",
    "unima.ac.id",
    "unimed.ac.id",
    "unri.ac.id",
    "unib.ac.id",
    "untirta.ac.id",
    "upnjatim.ac.id",
    "uinsgd.ac.id",
    "uin-suka.ac.id",
    "uin-malang.ac.id",
    "telkomuniversity.ac.id",
    "mail.ugm.ac.id",
    "student.unram.ac.id",
    # schools
    "sman1sumbawabesar.sch.id",
    "sman8jkt.sch.id",
    "smkn1mataram.sch.id",
    "smpn1sumbawa.sch.id",
    "sdn1taliwang.sch.id",
    "man1sumbawa.sch.id",
    # under other families
    "pelajar.id",
    "nu.or.id",
    "ponggok.desa.id",
)


@pytest.mark.parametrize("local", PROFILES, ids=lambda local: local[0])
@pytest.mark.parametrize("domain", LEGITIMATE)
def test_legitimate_domain_gets_no_hint(domain: str, local: tuple[str, ...]) -> None:
    assert suggest_domains(domain, local) == ()


def test_real_government_domains_get_no_hint_whatever_the_profile() -> None:
    """Every one of ~390 real go.id names, with each profile, with every other real name as
    the profile's domain (badungkab is one edit from bandungkab, nttprov from ntbprov)."""
    assert len(REAL_GO_ID) > 350
    hinted = {
        (domain, local[:3]): found
        for domain in REAL_GO_ID
        for local in (*PROFILES, tuple(other for other in REAL_GO_ID if other != domain))
        if (found := suggest_domains(domain, local))
    }
    assert hinted == {}


def test_check_email_takes_the_profile_domains_as_data() -> None:
    plain = check_email("budi@dompukap.go.id")
    assert "email-domain-typo" not in {f.code for f in plain.findings}
    hinted = check_email("budi@dompukap.go.id", local_domains=("dompukab.go.id",))
    typo = [f for f in hinted.findings if f.code == "email-domain-typo"]
    assert len(typo) == 1
    assert typo[0].params["suggestion"] == "budi@dompukab.go.id"
    assert "budi@dompukab.go.id" in hinted.info.suggestions


def test_profile_domains_come_from_its_urls_and_email_domains() -> None:
    assert SUMBAWA == ("sumbawakab.go.id", "bkpp.sumbawakab.go.id")
    profile = parse_profile(
        'region_name = "Kabupaten Dompu"\nagency = "BKPSDM Dompu"\n'
        'self_update_url = "https://Simpeg.DompuKab.go.id:8443/ip?x=1"\n'
        'admin_app_url = "simpeg.dompukab.go.id/admin"\n'
        'email_domains = ["@dompukab.go.id", "ntbprov.go.id"]\n'
        '[[helpdesk]]\nname = "BKPSDM"\ncontact = "0373-21000"\n'
    )
    assert profile.domains() == ("dompukab.go.id", "ntbprov.go.id", "simpeg.dompukab.go.id")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"dompukab.go.id"', "type"),
        ("[1]", "type"),
        ('["budi@x.go.id"]', "value"),
        ('[""]', "value"),
    ],
)
def test_profile_email_domains_are_validated(value: str, problem: str) -> None:
    with pytest.raises(ProfileError) as error:
        parse_profile(
            'region_name = "R"\nagency = "A"\nself_update_url = "a.go.id"\n'
            f'admin_app_url = "b.go.id"\nemail_domains = {value}\n'
            '[[helpdesk]]\nname = "H"\ncontact = "c"\n'
        )
    assert error.value.key.startswith("email_domains")
    assert error.value.problem == problem
