"""The region profile's domains reach the email typo hints in ``check``, ``guide``,
``batch`` and ``triage`` (the command passes them; the check never reads the profile)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.helpers import Run

CLI = Callable[..., Run]

DOMPU = """\
region_name = "Kabupaten Dompu"
agency = "BKPSDM Kabupaten Dompu"
self_update_url = "simpeg.dompukab.go.id/ip-pegawai"
admin_app_url = "simpeg.dompukab.go.id/ip-asn"
[[helpdesk]]
name = "BKPSDM Dompu"
contact = "0373-21000"
"""


def dompu(tmp_path: Path) -> Path:
    path = tmp_path / "dompu.toml"
    path.write_text(DOMPU, encoding="utf-8")
    return path


def typo_suggestions(run: Run) -> list[str]:
    """The email's suggestions when the report has a domain typo finding."""
    report = run.json()
    if not any(f["code"] == "email-domain-typo" for f in report["findings"]):
        return []
    return list(report["email"]["suggestions"])


def test_check_hints_from_the_profile_domains(cli: CLI, tmp_path: Path) -> None:
    args = ("check", "--email", "budi@dompukap.go.id", "--format", "json")
    assert typo_suggestions(cli(*args)) == []
    assert typo_suggestions(cli(*args, "--profile", str(dompu(tmp_path)))) == [
        "budi@dompukab.go.id"
    ]


def test_check_hints_from_the_builtin_profile(cli: CLI) -> None:
    run = cli("check", "--email", "ani@sumbawakab.co.id", "--format", "json")
    assert typo_suggestions(run) == ["ani@sumbawakab.go.id"]


def test_guide_hints_from_the_profile_domains(cli: CLI, tmp_path: Path) -> None:
    # message: skipped (empty), menu: skipped, NIP: skipped, email typed, token: skipped
    answers = "\n".join(["", "", "", "budi@dompukab.co.id", "", "", "", "", ""]) + "\n"
    run = cli(
        "guide",
        "--profile",
        str(dompu(tmp_path)),
        "--format",
        "json",
        "--lang",
        "en",
        input=answers,
    )
    assert typo_suggestions(run) == ["budi@dompukab.go.id"], run.stderr


def test_batch_hints_from_the_profile_domains(cli: CLI, tmp_path: Path) -> None:
    table = tmp_path / "staff.csv"
    table.write_text(
        "NIP;Nama;Email\n199001012015031003;Budi;budi@dompukap.go.id\n", encoding="utf-8"
    )
    plain = cli("batch", str(table), "--format", "jsonl", "--jobs", "1")
    own = cli(
        "batch",
        str(table),
        "--format",
        "jsonl",
        "--jobs",
        "1",
        "--profile",
        str(dompu(tmp_path)),
    )
    codes = [
        [f["code"] for f in json.loads(line)["findings"]]
        for line in plain.stdout.split("\n")
        if line
    ]
    assert codes == [[]]
    records = [json.loads(line) for line in own.stdout.splitlines() if line]
    assert [f["code"] for f in records[0]["findings"]] == ["email-domain-typo"]


def test_triage_hints_from_the_profile_domains(cli: CLI, tmp_path: Path) -> None:
    text = "Pak, email saya budi@dompukap.go.id tidak bisa reset password"
    plain = cli("triage", text, "--format", "json")
    own = cli("triage", text, "--format", "json", "--profile", str(dompu(tmp_path)))
    assert "dompukab.go.id" not in plain.stdout
    assert "budi@dompukab.go.id" in own.stdout
