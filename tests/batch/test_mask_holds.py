"""Masking that holds (issue 14, item 6): with --mask nothing rebuilds a NIP, an email or a
birth date; library warnings never print a value; usage errors never echo an option's value;
control characters in anything echoed are made visible."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from sapkcheck import errors
from sapkcheck.batch.masking import mask_nip, mask_piece
from tests.helpers import Run

CLI = Callable[..., Run]
ROOT = Path(__file__).resolve().parents[2]
SECRET = "Rahasia#2024x"

# birth month 13 / TMT month 13 / age 9 at appointment / now 76: messages quote each piece
STAFF = (
    "NIP,EMAIL\n"
    "198613262015051002,eli@gmail.com\n"
    "198609262099131002,xena@gmail.com\n"
    "200509262015051002,yuli@gmail.com\n"
    "195009262015051002,zaki@gmail.com\n"
)


def test_json_keeps_no_decoded_nip_part_and_messages_quote_no_piece(
    cli: CLI, tmp_path: Path
) -> None:
    source = tmp_path / "staff.csv"
    source.write_text(STAFF, encoding="utf-8")
    run = cli("batch", str(source), "--mask", "--format", "jsonl", "--lang", "en")
    records = [json.loads(line) for line in run.stdout.splitlines()]
    for record in records:
        for key in ("birth_date", "appointed", "sex", "serial", "contract"):
            assert record["nip"][key] is None, key
    text = run.stdout
    for piece in ('"1986-', "2015-05", "'13'", "was 9", "now 76", "'002'", '"male"', "2099"):
        assert piece not in text, piece
    # the digit positions the message names are not personal: never masked
    assert "Digits 13-14" in text and "Digits 5-6" in text


def test_masks_have_a_fixed_shape() -> None:
    assert len(mask_nip("19860926201505100")) == len(mask_nip("1986092620150510021")) == 18
    assert mask_piece("2015-05") == mask_piece("76") == "***"
    assert mask_piece("eli＠gmail.com") == "el*****@gmail.com"


def test_no_nip_column_error_hides_dotted_nips_and_full_width_emails(
    cli: CLI, tmp_path: Path
) -> None:
    source = tmp_path / "headless.csv"
    source.write_text(
        "19860926.201505.1.002,eli＠gmail.com,x\n19860926.201505.1.003,budi＠gmail.com,y\n",
        encoding="utf-8",
    )
    run = cli("batch", str(source), "--mask", "--lang", "en")
    assert run.exit_code == errors.UNUSABLE
    assert "19860926" not in run.stderr and "eli＠" not in run.stderr and "eli@" not in run.stderr


def test_an_openpyxl_warning_never_prints_a_value(tmp_path: Path) -> None:
    # campaign: a NIP number formatted as a date made openpyxl print it in a UserWarning
    source = tmp_path / "staff.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["NIP", "EMAIL"])
    book.active.append([198609262015051002, "eli@gmail.com"])
    book.active.cell(2, 1).number_format = "yyyy-mm-dd"
    book.save(source)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAPKCHECK_", "PYTHONW"))}
    done = subprocess.run(
        [sys.executable, "-m", "sapkcheck", "batch", str(source), "--mask", "--lang", "en"],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == errors.PROBLEMS, done.stderr
    assert b"Warning" not in done.stderr and b"1.986" not in done.stderr + done.stdout


@pytest.mark.parametrize(
    ("args", "choices"),
    [
        (("batch", "x.csv", "--format", SECRET), "text, json, jsonl, csv"),
        (("check", "--nip", "1", "--format", SECRET), "text, json"),
        (("check", "--nip", "1", "--color", SECRET), "auto, always, never"),
        (("password", "--policy", SECRET), "mysapk, myasn, asn-digital"),
        (("batch", "x.csv", "--jobs", SECRET), None),
        (("batch", "x.csv", "--profile", SECRET), None),
    ],
)
def test_usage_errors_never_echo_an_option_value(
    cli: CLI, args: tuple[str, ...], choices: str | None
) -> None:
    run = cli(*args, "--lang", "en")
    assert run.exit_code == errors.UNUSABLE
    assert SECRET not in run.stdout + run.stderr
    if choices:
        assert choices in run.stderr


def test_escape_sequences_in_echoed_names_are_made_visible(cli: CLI, tmp_path: Path) -> None:
    run = cli("batch", str(tmp_path / "\x1b[31mred.csv"), "--lang", "en")
    assert run.exit_code == errors.UNUSABLE
    assert "\x1b" not in run.stderr and "\\x1b[31mred" in run.stderr
    header = tmp_path / "header.csv"
    header.write_text("\x1b]0;owned\x07NAMA,ALAMAT\nx,y\n", encoding="utf-8")
    run = cli("batch", str(header), "--lang", "en")
    assert run.exit_code == errors.UNUSABLE
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    run = cli("batch", "x.csv", "--bo\x1b[2Jgus", "--lang", "en")
    assert "\x1b" not in run.stderr
