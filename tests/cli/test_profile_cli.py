"""`sapkcheck profile` and the --profile / SAPKCHECK_PROFILE region profile option."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Run

CLI = Callable[..., Run]
WIDE = {"COLUMNS": "200"}

SUMBAWA = {
    "schema_version": 1,
    "source": None,
    "region_name": "Kabupaten Sumbawa",
    "agency": "BKPP Kabupaten Sumbawa",
    "self_update_url": "bkpp.sumbawakab.go.id/ip-pegawai",
    "admin_app_url": "bkpp.sumbawakab.go.id/ip-asn",
    "portal": "asn-digital",
    "portal_name": "ASN Digital",
    "portal_url": "https://asndigital.bkn.go.id",
    "password_policy": "asn-digital",
    "password_rule": (
        "at least 12 characters, including at least 1 capital letter, 1 lower-case letter, "
        "1 digit and 1 symbol; signing in also needs two-step verification (MFA)"
    ),
    "helpdesk": [
        {
            "name": "Helpdesk BKN (menu Layanan Pendukung di ASN Digital)",
            "contact": "https://asndigital.bkn.go.id",
            "role": None,
        },
        {
            "name": "Syaifullah, S.Kom.",
            "contact": "Syaifullah.sbw@gmail.com",
            "role": "seed-author",
        },
    ],
}
TEMPLATE_SELF_UPDATE = "kepegawaian.contohkab.example/ip-pegawai"
TEMPLATE_ADMIN = "kepegawaian.contohkab.example/ip-asn"


def template_text(cli: CLI) -> str:
    run = cli("profile", "--template")
    assert run.exit_code == 0
    assert run.stderr == ""
    return run.stdout


def save(tmp_path: Path, text: str, name: str = "region.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mismatch_remedies(cli: CLI, *extra: str, env: dict[str, str] | None = None) -> Run:
    return cli(
        "check",
        "--email",
        "x@y.com",
        "--registered",
        "z@y.com",
        *extra,
        env={**WIDE, **(env or {})},
    )


# --------------------------------------------------------------------- built-in profile


def test_builtin_text(cli: CLI) -> None:
    run = cli("profile", "--lang", "en", env=WIDE)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0] == "Region profile (built in)"
    assert "  Region: Kabupaten Sumbawa" in lines
    assert "  Agency: BKPP Kabupaten Sumbawa" in lines
    assert "  Self-update module: bkpp.sumbawakab.go.id/ip-pegawai" in lines
    assert "  Unit admin app: bkpp.sumbawakab.go.id/ip-asn" in lines
    assert "  Portal: ASN Digital (2025–), https://asndigital.bkn.go.id" in lines
    helpdesk = next(line for line in lines if line.startswith("  Helpdesk: "))
    assert "Syaifullah, S.Kom. (Syaifullah.sbw@gmail.com), author of the July 2021 FAQ" in helpdesk
    assert "not an official helpdesk" in " ".join(run.stdout.split())
    assert any(line.startswith("  Password rule: asn-digital: at least 12") for line in lines)
    # One line says the built-in profile is in use and how to make one's own.
    assert any("built-in profile" in line and "profile --init" in line for line in lines)


def test_builtin_text_indonesian(cli: CLI) -> None:
    run = cli("profile", env=WIDE)
    assert run.exit_code == 0
    assert run.stdout.startswith("Profil wilayah (bawaan)")
    assert "Kabupaten Sumbawa" in run.stdout
    assert "minimal 12 karakter" in run.stdout
    flat = " ".join(run.stdout.split())
    assert "bukan helpdesk resmi" in flat
    assert "sapkcheck profile --init" in flat


def test_builtin_json(cli: CLI) -> None:
    run = cli("profile", "--format", "json", "--lang", "en")
    assert run.exit_code == 0
    assert run.json() == SUMBAWA


# --------------------------------------------------------------------- template


def test_template_is_valid_toml_with_every_key(cli: CLI) -> None:
    data = tomllib.loads(template_text(cli))
    assert set(data) == {
        "region_name",
        "agency",
        "self_update_url",
        "admin_app_url",
        "portal",
        "helpdesk",
    }
    assert data["portal"] == "asn-digital"
    assert '# password_policy = "asn-digital"' in template_text(cli)  # optional, shown
    assert data["helpdesk"] and set(data["helpdesk"][0]) == {"name", "contact"}
    assert "sumbawakab" not in data["self_update_url"]


def test_template_is_accepted_as_profile(cli: CLI, tmp_path: Path) -> None:
    path = save(tmp_path, template_text(cli))
    run = cli("profile", "--profile", str(path), "--format", "json")
    assert run.exit_code == 0
    doc: dict[str, Any] = run.json()
    assert doc["source"] == str(path)
    assert doc["region_name"] == "Kabupaten Contoh"
    assert doc["self_update_url"] == TEMPLATE_SELF_UPDATE
    assert doc["admin_app_url"] == TEMPLATE_ADMIN
    text = cli("profile", "--profile", str(path), env=WIDE)
    assert text.exit_code == 0
    assert str(path) in text.stdout.splitlines()[0]


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_template_urls_replace_sumbawas_in_remedies(
    cli: CLI, tmp_path: Path, output_format: str
) -> None:
    path = save(tmp_path, template_text(cli))
    default = mismatch_remedies(cli, "--format", output_format)
    assert default.exit_code == 1
    assert "bkpp.sumbawakab.go.id/ip-pegawai" in default.stdout
    run = mismatch_remedies(cli, "--profile", str(path), "--format", output_format)
    assert run.exit_code == 1
    assert TEMPLATE_SELF_UPDATE in run.stdout
    assert TEMPLATE_ADMIN in run.stdout
    assert "BKPSDM Kabupaten Contoh" in run.stdout
    assert "sumbawakab" not in run.stdout


def test_template_urls_in_json_remedy_links(cli: CLI, tmp_path: Path) -> None:
    path = save(tmp_path, template_text(cli))
    run = mismatch_remedies(cli, "--profile", str(path), "--format", "json")
    (remedy,) = run.json()["remedies"]
    assert remedy["faq"] == "email-tidak-sesuai"
    assert remedy["links"][-2:] == [TEMPLATE_SELF_UPDATE, TEMPLATE_ADMIN]


# --------------------------------------------------------------------- SAPKCHECK_PROFILE


def test_environment_variable_works_like_the_option(cli: CLI, tmp_path: Path) -> None:
    path = save(tmp_path, template_text(cli))
    by_env = mismatch_remedies(cli, "--format", "json", env={"SAPKCHECK_PROFILE": str(path)})
    by_option = mismatch_remedies(cli, "--format", "json", "--profile", str(path))
    assert by_env.exit_code == by_option.exit_code == 1
    assert by_env.json() == by_option.json()
    assert TEMPLATE_SELF_UPDATE in by_env.stdout
    shown = cli("profile", "--format", "json", env={"SAPKCHECK_PROFILE": str(path)})
    assert shown.json()["source"] == str(path)


def test_option_wins_over_environment(cli: CLI, tmp_path: Path) -> None:
    template = template_text(cli)
    env_path = save(tmp_path, template, "env.toml")
    option_path = save(
        tmp_path, template.replace("Kabupaten Contoh", "Kota Lain", 1), "option.toml"
    )
    run = cli(
        "profile",
        "--profile",
        str(option_path),
        "--format",
        "json",
        env={"SAPKCHECK_PROFILE": str(env_path)},
    )
    assert run.exit_code == 0
    assert run.json()["region_name"] == "Kota Lain"


def test_bad_environment_profile_exits_2(cli: CLI, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    run = cli("check", "--nip", "198609262015051001", env={"SAPKCHECK_PROFILE": str(missing)})
    assert run.exit_code == 2
    assert run.stdout == ""
    assert str(missing) in run.stderr


def test_profile_policy_used_by_password(cli: CLI, tmp_path: Path) -> None:
    text = template_text(cli).replace(
        '# password_policy = "asn-digital"', 'password_policy = "myasn"'
    )
    path = save(tmp_path, text)
    run = cli(
        "password",
        "--stdin",
        "--format",
        "json",
        env={"SAPKCHECK_PROFILE": str(path)},
        input="rahasia99\n",
    )
    assert run.exit_code == 0
    assert run.json()["password"]["policy"] == "myasn"


# --------------------------------------------------------------------- broken profiles


def _broken(template: str, kind: str) -> tuple[str, str]:
    """(profile text, key the error must name)."""
    if kind == "missing-key":
        return template.replace('agency = "BKPSDM Kabupaten Contoh"\n', ""), "agency"
    if kind == "unknown-key":
        return template.replace("region_name =", "regon_name =", 1), "regon_name"
    if kind == "unknown-helpdesk-key":
        return template + 'phone = "0812"\n', "helpdesk[0].phone"
    if kind == "wrong-policy":
        return template.replace(
            '# password_policy = "asn-digital"', 'password_policy = "sapk2019"'
        ), "password_policy"
    if kind == "wrong-type":
        return template.replace('portal = "asn-digital"', "portal = 6"), "portal"
    if kind == "empty-value":
        url = 'admin_app_url = "kepegawaian.contohkab.example/ip-asn"'
        return template.replace(url, 'admin_app_url = "  "'), "admin_app_url"
    if kind == "no-helpdesk":
        return template.split("[[helpdesk]]")[0], "helpdesk"
    if kind == "invalid-toml":
        return template.replace('region_name = "Kabupaten Contoh"', "region_name = Kabupaten"), ""
    raise AssertionError(kind)


BROKEN = [
    "missing-key",
    "unknown-key",
    "unknown-helpdesk-key",
    "wrong-policy",
    "wrong-type",
    "empty-value",
    "no-helpdesk",
    "invalid-toml",
]


@pytest.mark.parametrize("kind", BROKEN)
@pytest.mark.parametrize("command", [["profile"], ["check", "--nip", "198609262015051001"]])
def test_broken_profile_exits_2_naming_the_key(
    cli: CLI, tmp_path: Path, kind: str, command: list[str]
) -> None:
    text, key = _broken(template_text(cli), kind)
    assert text != template_text(cli)
    path = save(tmp_path, text)
    run = cli(*command, "--profile", str(path), "--lang", "en")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith(f"sapkcheck: Error: Profile '{path}' cannot be used: ")
    assert run.stderr.count("\n") == 1
    if key:
        assert f"(key '{key}')" in run.stderr
    else:
        assert "not valid TOML" in run.stderr


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("missing-key", "a required key is missing"),
        ("unknown-key", "unknown key"),
        ("wrong-policy", "invalid value"),
        ("wrong-type", "wrong type of value"),
    ],
)
def test_broken_profile_problem_is_worded(
    cli: CLI, tmp_path: Path, kind: str, problem: str
) -> None:
    text, _ = _broken(template_text(cli), kind)
    run = cli("profile", "--profile", str(save(tmp_path, text)), "--lang", "en")
    assert run.exit_code == 2
    assert f": {problem} (key " in run.stderr


def test_broken_profile_in_indonesian(cli: CLI, tmp_path: Path) -> None:
    text, _ = _broken(template_text(cli), "missing-key")
    run = cli("profile", "--profile", str(save(tmp_path, text)))
    assert run.exit_code == 2
    assert "(kunci 'agency')" in run.stderr


def test_missing_file_exits_2(cli: CLI, tmp_path: Path) -> None:
    missing = tmp_path / "profil-sumbawa-barat.toml"
    run = cli("profile", "--profile", str(missing), "--lang", "en")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert str(missing) in run.stderr
    assert "cannot be read" in run.stderr
    assert "Traceback" not in run.stderr


def test_not_utf8_file_exits_2(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(template_text(cli).replace("Contoh", "Contóh").encode("latin-1"))
    run = cli("profile", "--profile", str(path), "--lang", "en")
    assert run.exit_code == 2
    assert "Traceback" not in run.stderr
    assert str(path) in run.stderr


def test_windows_line_endings_are_accepted(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "crlf.toml"
    path.write_bytes(template_text(cli).replace("\n", "\r\n").encode("utf-8"))
    run = cli("profile", "--profile", str(path), "--format", "json")
    assert run.exit_code == 0
    assert run.json()["region_name"] == "Kabupaten Contoh"


def test_utf8_bom_is_accepted(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + template_text(cli).encode("utf-8"))
    run = cli("profile", "--profile", str(path), "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["region_name"] == "Kabupaten Contoh"


# --------------------------------------------------------------------- profile --init


def _config_env(tmp_path: Path) -> dict[str, str]:
    return {
        **WIDE,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "APPDATA": str(tmp_path / "appdata"),
    }


def test_init_writes_the_user_profile_which_is_then_used(cli: CLI, tmp_path: Path) -> None:
    env = _config_env(tmp_path)
    run = cli("profile", "--init", "--lang", "en", env=env)
    assert run.exit_code == 0, run.stderr
    written = tmp_path / "config" / "sapkcheck" / "profile.toml"
    assert str(written) in run.stdout and "used automatically" in run.stdout
    data = written.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # UTF-8, no BOM
    assert data.decode("utf-8") == template_text(cli)
    # Picked up without --profile, by every command that prints remedies.
    shown = cli("profile", "--format", "json", env=env)
    assert shown.json()["source"] == str(written)
    remedies = mismatch_remedies(cli, env=env)
    assert TEMPLATE_SELF_UPDATE in remedies.stdout and "sumbawakab" not in remedies.stdout
    assert "profile --init" not in remedies.stdout  # the built-in note is gone


def test_init_never_overwrites_without_force(cli: CLI, tmp_path: Path) -> None:
    env = _config_env(tmp_path)
    target = tmp_path / "mine.toml"
    target.write_text("# my own profile\n", encoding="utf-8")
    run = cli("profile", "--init", str(target), "--lang", "en", env=env)
    assert run.exit_code == 2
    assert str(target) in run.stderr and "--force" in run.stderr
    assert target.read_text(encoding="utf-8") == "# my own profile\n"
    run = cli("profile", "--init", str(target), "--force", env=env)
    assert run.exit_code == 0
    assert target.read_text(encoding="utf-8") == template_text(cli)
    assert not list(tmp_path.glob(".mine.toml.*"))  # no temp file left behind


def test_init_to_a_file_is_not_used_automatically(cli: CLI, tmp_path: Path) -> None:
    env = _config_env(tmp_path)
    target = tmp_path / "region.toml"
    run = cli("profile", "--init", str(target), "--lang", "en", env=env)
    assert run.exit_code == 0
    assert f"--profile {target}" in run.stdout
    assert cli("profile", "--format", "json", env=env).json()["source"] is None


def test_file_without_init_is_a_usage_problem(cli: CLI, tmp_path: Path) -> None:
    run = cli("profile", str(tmp_path / "x.toml"), env=_config_env(tmp_path))
    assert run.exit_code == 2
    assert "--init" in run.stderr


def test_precedence_option_environment_user_builtin(cli: CLI, tmp_path: Path) -> None:
    env = _config_env(tmp_path)
    assert cli("profile", "--init", env=env).exit_code == 0
    user = tmp_path / "config" / "sapkcheck" / "profile.toml"
    other = save(tmp_path, template_text(cli).replace("Kabupaten Contoh", "Kota Lain", 1))
    by_env = cli("profile", "--format", "json", env={**env, "SAPKCHECK_PROFILE": str(other)})
    assert by_env.json()["source"] == str(other)
    third = save(tmp_path, template_text(cli), "third.toml")
    by_option = cli(
        "profile",
        "--profile",
        str(third),
        "--format",
        "json",
        env={**env, "SAPKCHECK_PROFILE": str(other)},
    )
    assert by_option.json()["source"] == str(third)
    assert cli("profile", "--format", "json", env=env).json()["source"] == str(user)
    user.unlink()
    assert cli("profile", "--format", "json", env=env).json()["source"] is None


def test_broken_user_profile_is_named(cli: CLI, tmp_path: Path) -> None:
    env = _config_env(tmp_path)
    user = tmp_path / "config" / "sapkcheck" / "profile.toml"
    user.parent.mkdir(parents=True)
    user.write_text("region_name = \n", encoding="utf-8")
    run = cli("check", "--nip", "198609262015051001", env=env)
    assert run.exit_code == 2
    assert str(user) in run.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_powershell_profiles_are_read(cli: CLI, tmp_path: Path, encoding: str) -> None:
    """PowerShell 5 writes UTF-16 with a BOM (Out-File, >); Notepad UTF-8 with a BOM."""
    text = template_text(cli).replace("Kabupaten Contoh", "Kabupaten Contoh \u2013 Selatan", 1)
    path = tmp_path / "region.toml"
    path.write_bytes(text.encode(encoding))
    run = cli("profile", "--profile", str(path), "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["region_name"] == "Kabupaten Contoh \u2013 Selatan"


@pytest.mark.parametrize(
    ("portal", "present", "absent"),
    [
        ("mysapk", ["Play Store", "no-reply@mysapk.bkn.go.id"], ["asndigital.bkn.go.id"]),
        ("asn-digital", ["https://asndigital.bkn.go.id", "RESET"], ["Play Store"]),
    ],
)
def test_portal_setting_changes_remedies_and_policy(
    cli: CLI, tmp_path: Path, portal: str, present: list[str], absent: list[str]
) -> None:
    text = template_text(cli).replace('portal = "asn-digital"', f'portal = "{portal}"')
    path = save(tmp_path, text)
    run = cli("faq", "aktivasi-akun", "--profile", str(path), env=WIDE)
    assert run.exit_code == 0
    for part in present:
        assert part in run.stdout, part
    for part in absent:
        assert part not in run.stdout, part
    shown = cli("profile", "--profile", str(path), "--format", "json").json()
    assert (shown["portal"], shown["password_policy"]) == (portal, portal)
