"""Packaging is a contract too: sapkcheck runs zipped, frozen and under the spawn start method
(Windows), its error path needs no data file, and the metadata CI relies on (license, tested
dependency floors, pinned gates, the coverage floor, the sdist's contents) cannot drift."""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipapp
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

import sapkcheck
from sapkcheck import errors

# The module (sapkcheck.cli.app is also the name of the Typer object it exports).
cli_app = importlib.import_module("sapkcheck.cli.app")
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(sapkcheck.__file__).resolve().parent
PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT: dict[str, Any] = PYPROJECT["project"]
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Branch coverage of the suite when the floor was introduced (coverage run --branch).
MEASURED_COVERAGE = 94.0
NIP = "19860926 201505 1 001"


def run_python(
    *args: str, cwd: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAPKCHECK_", "PYTHON"))}
    env.update(PYTHONIOENCODING="utf-8", **(extra_env or {}))
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def staff_csv(path: Path, rows: int) -> Path:
    """A staff export of ``rows`` distinct valid NIPs; every 500th email has a domain typo."""
    lines = ["NIP;EMAIL"]
    for i in range(rows):
        day, serial = 1 + i % 28, 1 + i // 28
        domain = "gmial.com" if i % 500 == 0 else "gmail.com"
        lines.append(f"198609{day:02d}2015051{serial:03d};user{i}@{domain}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- frozen builds: freeze_support first ----------------------------------------------------


class _WorkerTookOver(BaseException):
    """What freeze_support() does in a frozen worker: run the worker and never return."""


def test_a_frozen_build_calls_freeze_support_before_anything_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[object] = []

    def worker() -> None:
        raise _WorkerTookOver

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "argv", ["sapkcheck", "check", "--nip", NIP])
    monkeypatch.setattr(multiprocessing, "freeze_support", worker)
    monkeypatch.setattr(cli_app, "build_app", lambda only=None: built.append(only))
    with pytest.raises(_WorkerTookOver):
        cli_app.main()
    assert built == [], "the CLI was built before freeze_support() could take over"


def test_an_ordinary_run_leaves_multiprocessing_alone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    called: list[bool] = []
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "argv", ["sapkcheck", "--version"])
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: called.append(True))
    with pytest.raises(SystemExit) as exit_:
        cli_app.main()
    assert exit_.value.code == errors.OK
    assert sapkcheck.__version__ in capsys.readouterr().out
    assert called == []


# --- the error path needs no catalog ----------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_last_resort_handler_prints_one_sentence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    def unreadable(only: str | None = None) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sys, "argv", ["sapkcheck", "faq"])
    monkeypatch.setattr(cli_app, "build_app", unreadable)
    monkeypatch.setattr(cli_app.Session, "lang", lang)
    monkeypatch.setattr(cli_app.Session, "debug", False)
    with pytest.raises(SystemExit) as exit_:
        cli_app.main()
    assert exit_.value.code == errors.UNUSABLE
    err = capsys.readouterr().err
    assert err == cli_app.NO_CATALOG[lang].format(error="PermissionError")
    assert err.count("\n") == 1


UNREADABLE_DATA = """
import sys
import sapkcheck.knowledge.data as data

def unreadable(*parts):
    raise PermissionError(13, "Permission denied", "/".join(parts))

data.read_data = unreadable
sys.argv = ["sapkcheck", *sys.argv[1:]]
from sapkcheck.cli import main
main()
"""

BROKEN_COMMANDS = {
    "check": ["check", "--nip", NIP],
    "check-email": ["check", "--email", "eli.sari@gmial.com"],
    "faq": ["faq", "operasi gagal"],
    "explain": ["explain", "nip-serial"],
    "batch": ["batch", "staff.csv"],
    "usage-problem": ["batch", "missing.csv"],
}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("command", sorted(BROKEN_COMMANDS))
def test_unreadable_package_data_gives_one_sentence_not_a_traceback(
    tmp_path: Path, command: str, lang: str
) -> None:
    staff_csv(tmp_path / "staff.csv", 3)
    done = run_python(
        "-c", UNREADABLE_DATA, *BROKEN_COMMANDS[command], "--lang", lang, cwd=tmp_path
    )
    assert done.returncode == errors.UNUSABLE, done
    assert "Traceback" not in done.stderr
    assert done.stderr == cli_app.NO_CATALOG[lang].format(error="PermissionError"), done.stderr


def test_unreadable_package_data_with_debug_shows_the_traceback(tmp_path: Path) -> None:
    done = run_python("-c", UNREADABLE_DATA, "faq", "--debug", cwd=tmp_path)
    assert done.returncode != 0
    assert "Traceback" in done.stderr and "PermissionError" in done.stderr


def test_a_damaged_install_gives_one_sentence(tmp_path: Path) -> None:
    """A real damaged copy of the package: its interface catalogs are not valid TOML."""
    copy = tmp_path / "site" / "sapkcheck"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for lang in ("id", "en"):
        (copy / "catalog" / lang / "ui.toml").write_text("[ui\n", encoding="utf-8")
    probe = (
        f"import sys; sys.path.insert(0, {str(copy.parent)!r}); import sapkcheck; "
        f"assert sapkcheck.__file__.startswith({str(copy)!r}), sapkcheck.__file__; "
        "sys.argv = ['sapkcheck', *sys.argv[1:]]; "
        "from sapkcheck.cli import main; main()"
    )
    done = run_python("-c", probe, "check", "--nip", NIP, cwd=tmp_path)
    assert done.returncode == errors.UNUSABLE, done
    assert done.stderr == cli_app.NO_CATALOG["id"].format(error="TOMLDecodeError"), done.stderr


# --- zipped: package data through importlib.resources -------------------------------------------


@pytest.fixture(scope="module")
def pyz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sapkcheck alone in a zipapp (its dependencies come from this environment; CI builds
    the self-contained one)."""
    root = tmp_path_factory.mktemp("zipapp")
    stage = root / "stage"
    shutil.copytree(PACKAGE, stage / "sapkcheck", ignore=shutil.ignore_patterns("__pycache__"))
    target = root / "sapkcheck.pyz"
    zipapp.create_archive(stage, target, main="sapkcheck.cli:main")
    return target


def test_the_zipapp_imports_sapkcheck_from_the_zip(pyz: Path, tmp_path: Path) -> None:
    probe = (
        f"import sys; sys.path.insert(0, {str(pyz)!r}); "
        "import sapkcheck.knowledge.data as data; print(data.__file__); "
        "print(data._PACKAGE_DIR.joinpath('data', 'faq.toml').is_file())"
    )
    done = run_python("-c", probe, cwd=tmp_path)
    where, beside = done.stdout.split()
    assert where.startswith(str(pyz)), where
    assert beside == "False", "inside a zip no data file lies beside the package"


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (
            ["check", "--nip", NIP, "--email", "eli.sari@gmial.com", "--message", "Operasi Gagal"],
            "status",
        ),
        (["faq", "operasi gagal"], None),
        (["explain", "nip-serial", "--lang", "en"], None),
        (["profile", "--template"], None),
    ],
    ids=["check", "faq", "explain", "profile"],
)
def test_the_zipapp_reads_its_data_from_the_zip(
    pyz: Path, tmp_path: Path, args: list[str], key: str | None
) -> None:
    fmt = ["--format", "json"] if key else []
    done = run_python(str(pyz), *args, *fmt, cwd=tmp_path)
    assert done.returncode in (errors.OK, errors.PROBLEMS), done
    assert done.stderr == ""
    if key:
        report = json.loads(done.stdout)
        codes = {finding["code"] for finding in report["findings"]}
        assert "email-domain-typo" in codes, report
        assert report["remedies"], report
    else:
        assert done.stdout.strip()


# --- the spawn start method (Windows, macOS) ----------------------------------------------------

SPAWN_PROBE = """
import multiprocessing, os, sys

_real_get_context = multiprocessing.get_context


def spawn_only(method=None):
    # What Windows gives whatever sapkcheck asks for.
    return _real_get_context("spawn")


multiprocessing.get_context = spawn_only

if __name__ == "__mp_main__":
    # A spawned worker re-imports the main script under this name; a forked one does not.
    open(os.path.join(os.environ["SPAWN_MARKS"], str(os.getpid())), "w").close()

if __name__ == "__main__":
    sys.argv = ["sapkcheck", *sys.argv[1:]]
    from sapkcheck.cli import main

    main()
"""


def test_batch_runs_its_worker_pool_under_spawn(tmp_path: Path) -> None:
    from sapkcheck.batch.pipeline import CHUNK_ROWS

    rows = 2 * CHUNK_ROWS + 500  # the pool starts only past one full chunk
    staff = staff_csv(tmp_path / "staff.csv", rows)
    script = tmp_path / "spawn_main.py"
    script.write_text(SPAWN_PROBE, encoding="utf-8")
    marks = tmp_path / "marks"
    marks.mkdir()
    spawned = run_python(
        *(str(script), "batch", str(staff), "--jobs", "2", "--format", "json"),
        cwd=tmp_path,
        extra_env={"SPAWN_MARKS": str(marks)},
    )
    assert spawned.returncode == errors.OK, spawned
    assert spawned.stderr == ""
    assert len(list(marks.iterdir())) == 2, "--jobs 2 should have spawned two workers"
    single = run_python(
        "-m", "sapkcheck", "batch", str(staff), "--jobs", "1", "--format", "json", cwd=tmp_path
    )
    assert json.loads(spawned.stdout) == json.loads(single.stdout)
    summary = json.loads(spawned.stdout)["summary"]
    assert summary["rows"] == rows
    assert summary["by_code"] == {"email-domain-typo": len(range(0, rows, 500))}


# --- metadata: license, floors, pins, coverage, sdist ---------------------------------------------


def test_the_license_is_mit_in_pyproject_and_in_the_license_file() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} sapkcheck contributors$", text, re.MULTILINE)
    assert "Permission is hereby granted, free of charge" in text
    # PEP 639: a license expression excludes license classifiers (setuptools refuses both).
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]
    setuptools = Requirement(PYPROJECT["build-system"]["requires"][0])
    assert setuptools.name == "setuptools"
    assert min(Version(s.version) for s in setuptools.specifier) >= Version("77")


def test_python_classifiers_match_requires_python_and_ci() -> None:
    allowed = SpecifierSet(PROJECT["requires-python"])
    versions = [
        c.rsplit(" ", 1)[1]
        for c in PROJECT["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions == ["3.11", "3.12", "3.13"]
    assert all(Version(version) in allowed for version in versions)
    assert Version("3.10") not in allowed
    # The lowest is the machine's python3; CI looks up each newer one and runs the suite.
    assert "python3 -m venv" in CI
    for version in versions[1:]:
        assert f"find_python {version}" in CI, f"CI does not run the suite on Python {version}"


def test_no_placeholder_urls() -> None:
    for url in PROJECT.get("urls", {}).values():
        assert not re.search(r"example\.|TODO|your-|<", url), url


def floors() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / ".ci" / "floors.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def test_dependency_floors_are_the_versions_ci_tests() -> None:
    pins = floors()
    declared = {}
    for spec in PROJECT["dependencies"]:
        requirement = Requirement(spec)
        lower = [s.version for s in requirement.specifier if s.operator == ">="]
        assert len(lower) == 1, f"{spec}: one '>=' floor, tested by CI"
        declared[requirement.name.lower()] = lower[0]
    assert declared == pins
    assert "floors.txt" in CI and "--constraint" in CI


def test_zero_x_dependencies_are_capped() -> None:
    for spec in PROJECT["dependencies"]:
        requirement = Requirement(spec)
        floor = next(s.version for s in requirement.specifier if s.operator == ">=")
        if Version(floor).major == 0:
            caps = [Version(s.version) for s in requirement.specifier if s.operator == "<"]
            assert caps, f"{spec}: a 0.x dependency may break in any minor release"
            assert caps[0].major == 0 and caps[0].minor > Version(floor).minor


def test_the_gates_are_pinned() -> None:
    tests = {Requirement(s).name: Requirement(s) for s in PROJECT["optional-dependencies"]["test"]}
    for gate in ("ruff", "mypy"):
        operators = {s.operator for s in tests[gate].specifier}
        assert operators in ({"=="}, {"~="}), f"{gate} must be pinned: {tests[gate]}"
    assert "coverage" in tests


def test_coverage_is_measured_and_has_a_floor() -> None:
    coverage = PYPROJECT["tool"]["coverage"]
    assert coverage["run"]["branch"] is True
    assert coverage["report"]["fail_under"] >= MEASURED_COVERAGE
    assert "coverage run" in CI and "coverage report" in CI


def test_the_sdist_carries_what_its_tests_need() -> None:
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").split()
    for needed in ("tests", "benchmarks", "README.md", "CHANGELOG.md", "LICENSE", ".ci/run"):
        assert needed in manifest, f"the sdist would lack {needed}"


def test_readme_tells_how_to_install_on_windows_and_debian() -> None:
    for needed in (
        "python3 -m venv .venv && . .venv/bin/activate && pip install .",
        "externally-managed-environment",
        "pipx install",
        "uv tool install",
        "py -m pip",
        "chcp 65001",
        "Get-Content",
        "sapkcheck.pyz",
    ):
        assert needed in README, needed
