"""The README cannot drift from the CLI: every command and option is documented, and every
option the README shows exists. Its example profile and exit codes are real too."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer

from sapkcheck import __version__
from sapkcheck.cli import app
from sapkcheck.findings import CODES
from sapkcheck.knowledge.profile import parse_profile

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ROOT_COMMAND: Any = typer.main.get_command(app)
COMMANDS: dict[str, Any] = ROOT_COMMAND.commands


def long_options(command: Any) -> set[str]:
    return {
        opt
        for param in command.params
        if param.param_type_name == "option" and not getattr(param, "hidden", False)
        for opt in (*param.opts, *param.secondary_opts)
        if opt.startswith("--")
    }


def test_every_command_is_documented() -> None:
    for name in COMMANDS:
        assert f"sapkcheck {name}" in README, f"README does not mention 'sapkcheck {name}'"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_of_every_command_is_documented(name: str) -> None:
    for option in long_options(COMMANDS[name]) - {"--help"}:
        assert option in README, f"README does not mention {option} of 'sapkcheck {name}'"


def test_root_options_are_documented() -> None:
    for option in long_options(ROOT_COMMAND) - {"--help"}:
        assert option in README


def test_readme_shows_no_option_that_does_not_exist() -> None:
    known = set().union(*(long_options(c) for c in COMMANDS.values()), long_options(ROOT_COMMAND))
    known |= {"--help"}
    user_part = README.split("## Development", 1)[0]  # later: other tools' options
    shown = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", user_part))
    assert shown - known == set(), f"README shows options that do not exist: {shown - known}"


def test_every_finding_code_is_listed() -> None:
    for code in CODES:
        assert f"`{code}`" in README, code


def test_example_profile_is_a_valid_profile() -> None:
    block = re.search(r"```toml\n(.*?)```", README, re.DOTALL)
    assert block is not None
    tomllib.loads(block.group(1))
    profile = parse_profile(block.group(1))
    assert profile.region_name == "Kabupaten Contoh"


def test_exit_code_table_matches_help() -> None:
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert code in README


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick)
    assert len(commands) == 2
    assert "sapkcheck check --nip" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci
    marker = README.split("<!-- test-command -->", 1)[1]
    assert re.findall(r"```sh\n(.*?)\n```", marker)[0] == commands[1]


def test_changelog_names_the_version() -> None:
    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_version_option() -> None:
    from tests.helpers import run_cli

    run = run_cli("--version")
    assert run.exit_code == 0 and __version__ in run.stdout
