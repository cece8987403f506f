"""--help and usage errors in the chosen language (Indonesian by default), -h and -V."""

from __future__ import annotations

import re

import pytest
import typer

from sapkcheck import __version__
from sapkcheck.cli.app import COMMANDS, build_app
from sapkcheck.knowledge.data import read_toml
from sapkcheck.knowledge.i18n import LANGS, catalog
from tests.helpers import run_cli


def flat(text: str) -> str:
    """Help text without rich's boxes and line wrapping, to find a sentence in it."""
    text = re.sub(r"[│╭╮╰╯─]", " ", text)
    return " ".join(text.split())


def keys(table: object, prefix: str = "") -> set[str]:
    if not isinstance(table, dict):
        return {prefix}
    return {k for name, value in table.items() for k in keys(value, f"{prefix}.{name}")}


def test_help_catalogs_have_the_same_keys() -> None:
    assert keys(read_toml("catalog", "id", "help.toml")) == keys(
        read_toml("catalog", "en", "help.toml")
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_command_and_parameter_has_catalog_help(lang: str) -> None:
    text = catalog(lang)  # type: ignore[arg-type]
    group = typer.main.get_command(build_app())
    assert text.command_help("sapkcheck")
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert text.command_help(name), f"{lang}: no help for command {name}"
        for param in command.params:
            if param.name == "refused":  # the password argument that is never accepted
                continue
            assert text.option_help(name, param.name), f"{lang}: no help for {name} {param.name}"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_is_indonesian_by_default_and_english_on_request(command: str) -> None:
    shown_id = flat(run_cli(command, "--help").stdout)
    assert flat(catalog("id").command_help(command) or "-") in shown_id
    assert "Cara pakai:" in shown_id and "Usage:" not in shown_id
    assert "Kode keluar" in shown_id
    shown_en = flat(run_cli(command, "--help", env={"SAPKCHECK_LANG": "en"}).stdout)
    assert flat(catalog("en").command_help(command) or "-") in shown_en
    assert "Usage:" in shown_en and "Exit codes" in shown_en
    assert flat(run_cli(command, "--help", "--lang", "en").stdout) == shown_en


def test_option_help_comes_from_the_catalog() -> None:
    shown = flat(run_cli("check", "-h").stdout)
    assert flat(catalog("id").option_help("check", "nip") or "-") in shown
    assert flat(catalog("id").option_help("check", "lang") or "-") in shown
    assert "The NIP exactly as typed" not in shown
    assert "Opsi" in shown and "[bawaan: text]" in shown


def test_dash_h_is_help_and_dash_v_is_version() -> None:
    for args in ((), ("check",), ("faq",), ("password",)):
        long, short = run_cli(*args, "--help"), run_cli(*args, "-h")
        assert (short.exit_code, short.stdout) == (0, long.stdout)
        assert "Cara pakai:" in short.stdout
    for flag in ("-V", "--version"):
        run = run_cli(flag)
        assert (run.exit_code, run.stdout) == (0, f"sapkcheck {__version__}\n")


USAGE_ERRORS = [
    (("check", "--nope"), "Opsi --nope tidak dikenal.", "No such option: --nope."),
    (
        ("check", "--format", "xml"),
        # the value itself is never repeated (it may be a password typed in the wrong place)
        "Nilai untuk --format tidak bisa dipakai (tidak diulang di sini, siapa tahu salah "
        "ketik). Pilih salah satu: text, json.",
        "Unusable value for --format (not repeated here, in case it was typed by mistake). "
        "Choose one of: text, json.",
    ),
    (("check", "--nip"), "Opsi --nip perlu diisi nilai", "Option --nip needs a value"),
    (("chekc",), "Perintah 'chekc' tidak dikenal.", "No such command 'chekc'."),
    (
        ("check", "--nip", "1", "Qz7w!abcd"),
        "Ada argumen yang tidak dikenal, tidak diulang di sini",
        "Unexpected argument(s), not repeated here",
    ),
    (("batch",), "FILE wajib diisi.", "FILE is required."),
]


@pytest.mark.parametrize(("args", "id_words", "en_words"), USAGE_ERRORS)
def test_usage_errors_in_the_chosen_language(
    args: tuple[str, ...], id_words: str, en_words: str
) -> None:
    run = run_cli(*args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert id_words in run.stderr
    assert "sapkcheck: Kesalahan:" in run.stderr
    assert "Usage" not in run.stderr and "Error" not in run.stderr
    assert "Qz7w" not in run.stderr
    english = run_cli(*args, env={"SAPKCHECK_LANG": "en"})
    assert english.exit_code == 2
    assert en_words in english.stderr and "sapkcheck: Error:" in english.stderr
    assert "Qz7w" not in english.stderr


def test_usage_error_shows_usage_and_where_to_get_help() -> None:
    run = run_cli("check", "--nope")
    assert run.stderr.splitlines()[:2] == [
        "Cara pakai: sapkcheck check [OPSI]",
        "Coba 'sapkcheck check -h' untuk bantuan.",
    ]
    assert "Mungkin maksudnya: --nip, --token." in run.stderr


def test_password_refuses_a_dash_argument_holding_h() -> None:
    """-h is help, but a password typed as '-…h…' is refused, not read as -h."""
    run = run_cli("password", "-Qzrahasiah", input=b"")
    assert run.exit_code == 2
    assert "Qzrahasiah" not in run.stdout + run.stderr
    assert "Cara pakai:" not in run.stdout
