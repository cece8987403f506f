"""Privacy proof: no network, no stray files, no personal data where it was asked to be hidden.

- Every command runs under a guard that makes any socket use fail and records the attempt:
  zero attempts. ``--online`` is the only path that reaches DNS.
- Every command runs under a guard that records every path opened for writing: the only
  paths written are the requested ``--output``/``--fixed`` targets (and temp files beside
  them that end up renamed onto them); the working directory, HOME and TMPDIR stay empty.
- ``batch --mask`` never shows a NIP or an email from the input, in any format, in row
  findings or in the errors about unusable input; ``password`` never shows the password.

Known leaks are pinned by ``xfail(strict=True)`` tests, each naming the place in the code.
"""

from __future__ import annotations

import builtins
import contextlib
import csv
import io
import os
import re
import socket
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.helpers import Run, run_cli

# --------------------------------------------------------------------------- guards


class NetworkAttempt(OSError):
    """Raised by the network guard instead of touching the network."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every socket use fail; return the list of attempts (must stay empty)."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[:3]!r}"[:200])
            raise NetworkAttempt(f"network access blocked by test: {name}")

        return blocked

    for name in (
        "create_connection",
        "create_server",
        "getaddrinfo",
        "gethostbyname",
        "gethostbyname_ex",
        "gethostbyaddr",
        "getnameinfo",
        "socketpair",
        "fromfd",
    ):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    # Patch the class itself too: code that kept a reference to socket.socket (dnspython's
    # socket_factory) still goes through these methods.
    for method in ("__init__", "connect", "connect_ex", "bind", "sendto", "sendall", "send"):
        monkeypatch.setattr(socket.socket, method, refuse(f"socket.socket.{method}"))
    return attempts


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@dataclass
class WriteLog:
    """Every path opened for writing (or created, renamed, made) while ``active``."""

    active: bool = False
    written: list[Path] = field(default_factory=list)
    renamed: list[tuple[Path, Path]] = field(default_factory=list)

    def add(self, path: Any) -> None:
        if self.active and isinstance(path, (str, bytes, os.PathLike)):
            self.written.append(Path(os.fsdecode(path)).absolute())

    @contextlib.contextmanager
    def watch(self) -> Iterator[WriteLog]:
        self.active = True
        try:
            yield self
        finally:
            self.active = False


@pytest.fixture
def write_log(monkeypatch: pytest.MonkeyPatch) -> WriteLog:
    log = WriteLog()
    real_open = builtins.open

    def guarded_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(flag in mode for flag in "wax+"):
            log.add(file)
        return real_open(file, mode, *args, **kwargs)

    real_os_open = os.open

    def guarded_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & _WRITE_FLAGS:
            log.add(path)
        return real_os_open(path, flags, *args, **kwargs)

    real_mkstemp = tempfile.mkstemp

    def guarded_mkstemp(*args: Any, **kwargs: Any) -> Any:
        fd, name = real_mkstemp(*args, **kwargs)
        log.add(name)
        return fd, name

    def renaming(real: Callable[..., None]) -> Callable[..., None]:
        def guarded(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if log.active:
                source, target = Path(os.fsdecode(src)), Path(os.fsdecode(dst))
                log.renamed.append((source.absolute(), target.absolute()))
                log.add(target)
            real(src, dst, *args, **kwargs)

        return guarded

    def making(real: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(path: Any, *args: Any, **kwargs: Any) -> Any:
            log.add(path)
            return real(path, *args, **kwargs)

        return guarded

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)  # pathlib, zipfile and os.fdopen use io.open
    monkeypatch.setattr(os, "open", guarded_os_open)  # tempfile uses os.open
    monkeypatch.setattr(tempfile, "mkstemp", guarded_mkstemp)
    monkeypatch.setattr(os, "replace", renaming(os.replace))
    monkeypatch.setattr(os, "rename", renaming(os.rename))
    monkeypatch.setattr(os, "mkdir", making(os.mkdir))
    monkeypatch.setattr(os, "symlink", making(os.symlink))
    real_link = os.link

    def linking(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        log.add(dst)  # a link makes a name: dst (src may be a nameless file, /proc/self/fd/N)
        real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", linking)
    for method in ("write_text", "write_bytes", "touch", "mkdir"):
        real = getattr(Path, method)

        def path_writer(self: Path, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            log.add(self)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Path, method, path_writer)
    return log


# --------------------------------------------------------------------------- the commands

NIP = "19860926 201505 1 001"
EMAIL = " Eli.Sari@gmial.com\u200b "
REGISTERED = "eli.sari@gmail.com"
HINT = "eli*****@gmail.com"
TOKEN = " AB12\u200bcd34 "
MESSAGE = "Operasi Gagal"
STAFF_ROWS = (
    ("NO", "NAMA", "NIP", "EMAIL", "EMAIL SAPK"),
    ("1", "Eli Sari", "19860926 201505 2 001", "eli.sari@gmail.com ", "eli.sari@gmail.com"),
    ("2", "Budi", "198609262015051002", "budi@gmial.com", "budi@gmail.com"),
    ("3", "Citra", "1,98501E+17", "<citra@yahoo.co.id>", "citra@yahoo.co.id"),
    ("4", "Dedi", "198609262015051002", "eli.sari@gmail.com", "dedi@gmail.com"),
)


@dataclass
class Case:
    """One invocation; ``@IN@`` and ``@OUT@`` in arguments become the input and output
    directories. ``targets`` are the files the invocation asks to be written."""

    args: tuple[str, ...]
    stdin: bytes | None = None
    expect: frozenset[int] = frozenset({0, 1})
    targets: tuple[str, ...] = ()

    def resolve(self, inputs: Path, outputs: Path) -> list[str]:
        return [a.replace("@IN@", str(inputs)).replace("@OUT@", str(outputs)) for a in self.args]


def staff_csv() -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(STAFF_ROWS)
    return buffer.getvalue()


def _cases() -> list[Any]:
    cases: list[Any] = []

    def add(case: Case, name: str) -> None:
        cases.append(pytest.param(case, id=name))

    everything: tuple[str, ...] = (
        "--nip",
        NIP,
        "--email",
        EMAIL,
        "--registered",
        REGISTERED,
        "--hint",
        HINT,
    )
    everything += ("--token", TOKEN, "--message", MESSAGE)
    for fmt in ("text", "json"):
        for lang in ("id", "en"):
            add(
                Case(("check", *everything, "--format", fmt, "--lang", lang)), f"check-{fmt}-{lang}"
            )
        add(
            Case(("check", *everything, "--format", fmt, "--color", "always")), f"check-color-{fmt}"
        )
        add(
            Case(("check", *everything, "--profile", "@IN@/region.toml", "--format", fmt)),
            f"check-profile-{fmt}",
        )
        for option, value in (("--nip", NIP), ("--email", EMAIL), ("--token", TOKEN)):
            add(
                Case(("check", option, "-", "--format", fmt), value.encode() + b"\n"),
                f"check-stdin{option}-{fmt}",
            )
        add(Case(("explain", "--format", fmt)), f"explain-all-{fmt}")
        add(Case(("explain", "email-trailing-space", "--format", fmt)), f"explain-one-{fmt}")
        add(Case(("faq", "--format", fmt)), f"faq-all-{fmt}")
        add(Case(("faq", "Operasi Gagal", "--format", fmt)), f"faq-message-{fmt}")
        add(Case(("profile", "--format", fmt)), f"profile-{fmt}")
        add(
            Case(("profile", "--profile", "@IN@/region.toml", "--format", fmt)),
            f"profile-file-{fmt}",
        )
        for policy in ("mysapk", "myasn", "asn-digital"):
            add(
                Case(("password", "--stdin", "--policy", policy, "--format", fmt), b"Rah4sia!\n"),
                f"password-{policy}-{fmt}",
            )
        add(
            Case(("guide", "--format", fmt), f"3\n{MESSAGE}\n{NIP}\n{EMAIL}\n{HINT}\n".encode()),
            f"guide-{fmt}",
        )
    add(Case(("profile", "--template")), "profile-template")
    add(Case(("--version",), expect=frozenset({0})), "version")
    add(Case(("--help",), expect=frozenset({0})), "help")
    add(Case((), expect=frozenset({2})), "no-command")
    add(
        Case(("check", "--hint", "no-at-sign", "--email", EMAIL), expect=frozenset({2})), "bad-hint"
    )
    add(Case(("password", "Rah4sia!"), expect=frozenset({2})), "password-argument")
    for source in ("staff.csv", "staff.xlsx"):
        for fmt in ("text", "json", "jsonl", "csv"):
            for mask in ((), ("--mask",)):
                add(
                    Case(("batch", f"@IN@/{source}", "--format", fmt, "--jobs", "1", *mask)),
                    f"batch-{source}-{fmt}{'-mask' if mask else ''}",
                )
            for fixed in ("fixed.csv", "fixed.xlsx"):
                add(
                    Case(
                        (
                            "batch",
                            f"@IN@/{source}",
                            "--format",
                            fmt,
                            "--jobs",
                            "1",
                            "--output",
                            f"@OUT@/report.{fmt}",
                            "--fixed",
                            f"@OUT@/{fixed}",
                        ),
                        targets=(f"report.{fmt}", fixed),
                    ),
                    f"batch-{source}-{fmt}-output-{fixed}",
                )
    add(
        Case(("batch", "-", "--format", "jsonl", "--jobs", "1"), staff_csv().encode()),
        "batch-stdin",
    )
    add(
        Case(
            ("batch", "@IN@/big.csv", "--format", "json", "--jobs", "2", "--output", "@OUT@/r"),
            targets=("r",),
        ),
        "batch-worker-processes",
    )
    return cases


CASES = _cases()


def make_inputs(inputs: Path) -> None:
    """The files the cases read: a staff table (CSV, XLSX, a big CSV) and a region profile."""
    import openpyxl  # type: ignore[import-untyped,unused-ignore]

    from sapkcheck.knowledge.profile import PROFILE_TEMPLATE

    inputs.mkdir(exist_ok=True)
    (inputs / "staff.csv").write_text(staff_csv(), encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in STAFF_ROWS:
        sheet.append(list(row))
    sheet.append(["5", "Eka", 198609262015051003, "eka@gmail.com", "eka@gmail.com"])
    workbook.save(inputs / "staff.xlsx")
    rows = [f"19860926201505{1000 + i % 8000:04d},kx{i}qz@gmail.com" for i in range(4500)]
    (inputs / "big.csv").write_text("NIP,EMAIL\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (inputs / "region.toml").write_text(PROFILE_TEMPLATE, encoding="utf-8")


@dataclass
class Sandbox:
    """Input, output, working, home and temp directories for one run."""

    inputs: Path
    outputs: Path
    work: Path
    home: Path
    temp: Path

    def run(self, case: Case) -> Run:
        env = {
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "TMPDIR": str(self.temp),
        }
        return run_cli(*case.resolve(self.inputs, self.outputs), input=case.stdin, env=env)


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    box = Sandbox(*(tmp_path / name for name in ("in", "out", "work", "home", "temp")))
    make_inputs(box.inputs)
    for directory in (box.outputs, box.work, box.home, box.temp):
        directory.mkdir()
    monkeypatch.chdir(box.work)
    monkeypatch.setattr(tempfile, "tempdir", str(box.temp))  # gettempdir() caches TMPDIR
    return box


# --------------------------------------------------------------------------- no network


@pytest.mark.parametrize("case", CASES)
def test_no_command_touches_the_network(
    case: Case, sandbox: Sandbox, no_network: list[str]
) -> None:
    run = sandbox.run(case)
    assert run.exit_code in case.expect, run.stderr[-2000:]
    assert no_network == []


@pytest.fixture
def dns_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and answer) every deliverability check and every DNS query."""
    import dns.resolver

    import sapkcheck.checks.email.check as email_module
    import sapkcheck.checks.email.online as online_module

    calls: list[str] = []

    def deliverability(domain: str) -> str:
        calls.append(f"check_deliverability({domain})")
        return "ok"

    def resolve(self: Any, name: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(f"resolve({name})")
        raise dns.resolver.NXDOMAIN

    monkeypatch.setattr(email_module, "deliverability", deliverability)
    monkeypatch.setattr(online_module, "deliverability", deliverability)
    monkeypatch.setattr(dns.resolver.Resolver, "resolve", resolve)
    return calls


def test_online_is_the_only_path_to_dns(
    sandbox: Sandbox, dns_calls: list[str], no_network: list[str]
) -> None:
    for param in CASES:
        case = param.values[0]
        assert isinstance(case, Case)
        run = sandbox.run(case)
        assert run.exit_code in case.expect, (param.id, run.stderr[-2000:])
        assert dns_calls == [], param.id
    run = sandbox.run(Case(("check", "--email", "eli.sari@gmail.com", "--online")))
    assert run.exit_code == 0, run.stderr
    assert dns_calls == ["check_deliverability(gmail.com)"]
    dns_calls.clear()
    run = sandbox.run(Case(("check", "--email", "no-at-sign", "--online"), expect=frozenset({1})))
    assert run.exit_code == 1
    assert dns_calls == []  # nothing to ask about an address that is not valid
    assert no_network == []


def test_network_guard_sees_online_dns(sandbox: Sandbox, no_network: list[str]) -> None:
    """The guard is not blind: --online with the real resolver is caught trying."""
    from sapkcheck.checks.email import online

    online.deliverability.cache_clear()
    online._resolver.cache_clear()
    try:
        run = sandbox.run(Case(("check", "--email", "kx.qz@example.org", "--online")))
    finally:
        online.deliverability.cache_clear()
        online._resolver.cache_clear()
    assert no_network, "the guard recorded nothing: it cannot prove anything"
    assert run.exit_code in (0, 1, 2)
    assert "Traceback" not in run.stdout + run.stderr


# --------------------------------------------------------------------------- no stray files


def _assert_writes(case_id: str, case: Case, sandbox: Sandbox, log: WriteLog, run: Run) -> None:
    targets = {(sandbox.outputs / name).absolute() for name in case.targets}
    if run.exit_code in (0, 1):
        assert {p.absolute() for p in sandbox.outputs.iterdir()} == targets, case_id
    else:
        assert list(sandbox.outputs.iterdir()) == [], case_id
    renamed_sources = {source for source, target in log.renamed if target in targets}
    for path in log.written:
        if path in targets:
            continue
        if any(path == target.parent for target in targets):
            continue  # a temp file created by directory (O_TMPFILE/mkstemp dir=) beside a target
        if path.parent == Path("/proc/self/fd"):
            continue  # that nameless temp file, reopened by name (openpyxl saves by name)
        # a temp file beside a target: renamed onto it on success, removed on failure
        beside = any(path.parent == target.parent for target in targets)
        assert beside and not path.exists(), f"{case_id}: wrote {path}"
        # openpyxl's scratch file of streamed rows sits beside the .xlsx target and is removed
        scratch = path.name.startswith("openpyxl.")
        if run.exit_code in (0, 1) and not scratch:
            assert path in renamed_sources, f"{case_id}: {path} was not renamed onto a target"
    for source, target in log.renamed:
        assert target in targets, f"{case_id}: renamed {source} to {target}"
    assert list(sandbox.work.iterdir()) == [], "files appeared in the working directory"
    assert list(sandbox.home.iterdir()) == [], "files appeared in HOME"
    assert list(sandbox.temp.iterdir()) == [], "files left in TMPDIR"


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            *param.values,
            id=param.id,
        )
        for param in CASES
    ],
)
def test_no_command_writes_anything_but_its_targets(
    case: Case, request: pytest.FixtureRequest, sandbox: Sandbox, write_log: WriteLog
) -> None:
    with write_log.watch():
        run = sandbox.run(case)
    assert run.exit_code in case.expect, run.stderr[-2000:]
    _assert_writes(request.node.callspec.id, case, sandbox, write_log, run)


def test_write_guard_sees_the_atomic_writes(sandbox: Sandbox, write_log: WriteLog) -> None:
    """The guard is not blind: --output and --fixed show as a temp file beside each target,
    renamed onto it."""
    case = Case(
        ("batch", "@IN@/staff.csv", "--output", "@OUT@/r.json", "--fixed", "@OUT@/f.csv"),
        targets=("r.json", "f.csv"),
    )
    with write_log.watch():
        run = sandbox.run(case)
    assert run.exit_code == 1
    outputs = sandbox.outputs.absolute()
    assert {target for _, target in write_log.renamed} == {outputs / "r.json", outputs / "f.csv"}
    temps = {p for p in write_log.written if p.name.startswith((".r.json.", ".f.csv."))}
    assert len(temps) == 2
    assert {source for source, _ in write_log.renamed} == temps


def test_fixed_xlsx_writes_only_beside_the_target(sandbox: Sandbox, write_log: WriteLog) -> None:
    case = Case(
        ("batch", "@IN@/staff.csv", "--jobs", "1", "--fixed", "@OUT@/fixed.xlsx"),
        targets=("fixed.xlsx",),
    )
    with write_log.watch():
        run = sandbox.run(case)
    assert run.exit_code == 1
    outputs = sandbox.outputs.absolute()
    # openpyxl's own temp file is logged by its directory: it must be the target's; our
    # nameless temp file (O_TMPFILE) is saved to by its /proc/self/fd name
    outside = [
        p
        for p in write_log.written
        if outputs not in (p, p.parent) and p.parent != Path("/proc/self/fd")
    ]
    assert outside == []


def test_writes_fail_cleanly_and_leave_nothing(sandbox: Sandbox, write_log: WriteLog) -> None:
    """Unusable input or destination: exit 2, nothing written anywhere."""
    failing = [
        Case(("batch", "@IN@/staff.csv", "--output", "@IN@/staff.csv"), expect=frozenset({2})),
        Case(("batch", "@IN@/staff.csv", "--fixed", "@IN@/staff.csv"), expect=frozenset({2})),
        Case(("batch", "@IN@/staff.csv", "--fixed", "@OUT@/f.xls"), expect=frozenset({2})),
        Case(("batch", "@IN@/staff.csv", "--fixed", "@OUT@/no/such/f.csv"), expect=frozenset({2})),
        Case(("batch", "@IN@/nope.csv", "--output", "@OUT@/r.json"), expect=frozenset({2})),
        Case(("batch", "@IN@/region.toml", "--output", "@OUT@/r.json"), expect=frozenset({2})),
    ]
    before = {p.name: p.read_bytes() for p in sandbox.inputs.iterdir()}
    for case in failing:
        with write_log.watch():
            run = sandbox.run(case)
        assert run.exit_code == 2, (case.args, run.stderr)
        _assert_writes(" ".join(case.args), case, sandbox, write_log, run)
    assert {p.name: p.read_bytes() for p in sandbox.inputs.iterdir()} == before


# --------------------------------------------------------------------------- --mask


def ascii_digits(text: str) -> str:
    """Digits of any script as ASCII digits; everything else as is."""
    return "".join(
        str(unicodedata.digit(ch)) if unicodedata.digit(ch, None) is not None else ch for ch in text
    )


CATALOG_EXAMPLE_DIGITS = frozenset({"19860926"})  # the catalog's own example birth date


@dataclass
class Person:
    nip: str  # as typed
    digits: str  # the 18 (or 9) digits meant
    email: str  # as typed
    address: str  # the address meant: local@domain
    registered: str | None

    def full_values(self) -> list[str]:
        """Whole values: none may appear with --mask."""
        values = [self.nip.strip(), self.digits, ascii_digits(self.nip).strip()]
        values += [self.email.strip(), self.address, self.registered or ""]
        return [v for v in values if len(v) >= 6]

    def hidden_parts(self) -> list[str]:
        """What --mask hides within a value: all of the local part but its first two
        characters; any 8 consecutive digits of the NIP (the mask shows 2 + 2)."""
        parts = []
        for address in (self.email.strip(), self.address, self.registered or ""):
            local = address.rpartition("@")[0]
            if len(local) > 4:
                parts.append(local[2:])
        windows = {self.digits[i : i + 8] for i in range(len(self.digits) - 7)}
        return parts + sorted(windows - CATALOG_EXAMPLE_DIGITS)


def leaks(output: str, people: list[Person], *, parts: bool) -> list[str]:
    folded = output.casefold()
    digits = ascii_digits(output)
    found = []
    for person in people:
        for value in person.full_values() + (person.hidden_parts() if parts else []):
            if value.casefold() in folded or (value.isdigit() and value in digits):
                found.append(value)
    return found


LOCAL_FIRST = st.from_regex(r"[a-z]{2}", fullmatch=True)
MASK_DOMAINS = ("gmail.com", "gmial.com", "yahoo.co.id", "bkn.go.id", "sumbawakab.go.id")


@st.composite
def people(draw: st.DrawFn) -> Person:
    """A member of staff with a distinctive NIP and address, typed with the usual damage."""
    birth = draw(st.dates(date(1960, 1, 1), date(2003, 12, 31)).filter(lambda d: d.day != 26))
    tmt = f"{draw(st.integers(birth.year + 19, 2024))}{draw(st.integers(1, 12)):02d}"
    digits = f"{birth:%Y%m%d}{tmt}{draw(st.integers(1, 2))}{draw(st.integers(1, 999)):03d}"
    nip_damage = draw(
        st.sampled_from(
            ["none", "groups", "label", "apostrophe", "letter", "script", "excel", "old", "typo"]
        )
    )
    nip = {
        "none": digits,
        "groups": f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}",
        "label": "NIP. " + digits,
        "apostrophe": "'" + digits,
        "letter": digits[:12] + digits[12:].replace("0", "O"),
        "script": "".join(chr(0x660 + int(d)) for d in digits),
        "excel": f"{digits[0]},{digits[1:6]}E+17",
        "old": digits[:9],
        "typo": digits[:4] + "13" + digits[6:],
    }[nip_damage]
    if nip_damage in ("old", "typo"):
        digits = ascii_digits(nip)  # what was typed is the NIP that must stay hidden
    local = draw(LOCAL_FIRST) + "kx" + draw(st.from_regex(r"[a-z0-9]{2,6}", fullmatch=True)) + "qz"
    address = f"{local}@{draw(st.sampled_from(MASK_DOMAINS))}"
    email_damage = draw(
        st.sampled_from(
            [
                "none",
                "trailing",
                "angle",
                "mailto",
                "invisible",
                "upper",
                "dots",
                "cyrillic",
                "fullwidth",
                "inner",
            ]
        )
    )
    email = {
        "none": address,
        "trailing": address + "  ",
        "angle": f"<{address}>",
        "mailto": "mailto:" + address,
        "invisible": address[:3] + "\u200b" + address[3:],
        "upper": address[:2] + address[2:].replace("kx", "KX", 1),
        "dots": address.replace("kx", "k..x", 1),
        "cyrillic": address.replace("kx", "k\u0445", 1),
        "fullwidth": address.replace("@", "\uff20"),
        "inner": address.replace("kx", "k x", 1),
    }[email_damage]
    registered = draw(
        st.sampled_from([None, address, address.upper(), "zz" + address, address + "m"])
    )
    return Person(nip, digits, email, address, registered)


def mask_table(staff: list[Person], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["NIP", "EMAIL", "EMAIL SAPK"])
    for person in staff:
        writer.writerow([person.nip, person.email, person.registered or ""])
    return buffer.getvalue()


def run_masked(staff: list[Person], fmt: str, lang: str, tmp: Path) -> tuple[Run, str]:
    """batch --mask on a table of ``staff`` (duplicates included); stdout + stderr + report."""
    source = tmp / "staff.csv"
    source.write_text(mask_table(staff, ";"), encoding="utf-8")
    report = tmp / f"report.{fmt}"
    report.unlink(missing_ok=True)
    args = ["batch", str(source), "--mask", "--format", fmt, "--lang", lang, "--jobs", "1"]
    with_output = run_cli(*args, "--output", str(report))
    run = with_output if fmt == "xlsx" else run_cli(*args)  # xlsx: a file only
    text = run.stdout + run.stderr + with_output.stdout + with_output.stderr
    if fmt == "xlsx" and report.exists():
        import openpyxl  # type: ignore[import-untyped,unused-ignore]

        book = openpyxl.load_workbook(report, read_only=True)
        cells = (
            cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
        text += "\n".join(str(cell) for cell in cells if cell is not None)
        book.close()
    elif report.exists():
        text += report.read_text(encoding="utf-8")
    return run, text


STAFF = st.lists(people(), min_size=1, max_size=5).flatmap(
    lambda staff: st.lists(st.sampled_from(staff), min_size=len(staff), max_size=len(staff) + 2)
)


def _mask_settings(share: float) -> settings:
    return settings(
        max_examples=max(3, round(settings().max_examples * share)),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


@_mask_settings(0.4)
@given(
    staff=STAFF,
    fmt=st.sampled_from(["text", "json", "jsonl", "csv", "xlsx"]),
    lang=st.sampled_from(["id", "en"]),
)
def test_mask_never_shows_a_whole_nip_or_email(
    tmp_path_factory: pytest.TempPathFactory, staff: list[Person], fmt: str, lang: str
) -> None:
    run, text = run_masked(staff, fmt, lang, tmp_path_factory.mktemp("mask"))
    assert run.exit_code in (0, 1), run.stderr
    assert leaks(text, staff, parts=False) == []


KNOWN_PART_LEAKS: tuple[str, ...] = ()  # every finding is held to the mask now


@_mask_settings(0.3)
@given(staff=STAFF, lang=st.sampled_from(["id", "en"]))
def test_mask_hides_what_the_mask_hides(
    tmp_path_factory: pytest.TempPathFactory, staff: list[Person], lang: str
) -> None:
    """Within a value, --mask shows only the first 2 characters of the local part and the
    first and last 2 digits of a NIP. Checked per finding on the jsonl report."""
    import json

    run, _ = run_masked(staff, "jsonl", lang, tmp_path_factory.mktemp("mask"))
    assert run.exit_code in (0, 1), run.stderr
    for line in run.stdout.splitlines():
        record = json.loads(line)
        findings = record.pop("findings")
        assert leaks(json.dumps(record, ensure_ascii=False), staff, parts=True) == []
        for finding in findings:
            if finding["code"] in KNOWN_PART_LEAKS:
                continue
            shown = f"{finding['message']}\n{finding['remedy']}"
            assert leaks(shown, staff, parts=True) == [], finding["code"]


def masked_batch(tmp_path: Path, rows: Sequence[Sequence[str]], *extra: str) -> str:
    source = tmp_path / "staff.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    source.write_text(buffer.getvalue(), encoding="utf-8")
    outputs = []
    for fmt in ("text", "json", "jsonl", "csv"):
        run = run_cli("batch", str(source), "--mask", "--format", fmt, "--jobs", "1", *extra)
        outputs.append(run.stdout + run.stderr)
    return "\n".join(outputs)


@pytest.mark.parametrize(
    ("name", "content", "extra"),
    [
        (
            "staff.csv",
            "NIP,EMAIL\n198609262015051002,kxabcdqz@gmail.com\n",
            ("--email-column", "X"),
        ),
        ("staff.csv", "NIP,EMAIL\n198609262015051002,kxabcdqz@gmail.com\n", ("--fixed", "f.xls")),
        ("staff.csv", "NIP,EMAIL\n198609262015051002,kxabcdqz@gmail.com\x01\x02\x03\n", ()),
        ("staff.xlsx", "NIP,EMAIL\n198609262015051002,kxabcdqz@gmail.com\n", ()),
        ("staff.pdf", "NIP,EMAIL\n198609262015051002,kxabcdqz@gmail.com\n", ()),
    ],
    ids=["no-such-column", "fixed-extension", "binary", "not-xlsx", "pdf"],
)
def test_mask_unusable_input_errors_with_a_header(
    tmp_path: Path, name: str, content: str, extra: tuple[str, ...]
) -> None:
    """Errors about a table with a header name the file, its columns or the problem: never
    the NIPs and emails in its rows."""
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    for fmt in ("text", "json", "jsonl", "csv"):
        args = ("batch", str(source), "--mask", "--format", fmt, "--jobs", "1", *extra)
        run = run_cli(*[a.replace("f.xls", str(tmp_path / "f.xls")) for a in args])
        assert run.exit_code == 2, run.stderr
        for stream in (run.stdout, run.stderr):
            assert "198609262015051002" not in stream
            assert "kxabcdqz" not in stream


def test_mask_hides_a_huge_cell_that_is_checked_not_refused(tmp_path: Path) -> None:
    """A cell over the csv module's default field limit is a value to check, masked."""
    source = tmp_path / "staff.csv"
    huge = f"kxabcdqz@gmail.com{'x' * 140_000}"
    source.write_text(f'NIP,EMAIL\n198609262015051002,"{huge}"\n', encoding="utf-8")
    for fmt in ("text", "json", "jsonl", "csv"):
        run = run_cli("batch", str(source), "--mask", "--format", fmt, "--jobs", "1")
        assert run.exit_code == 1, run.stderr
        for stream in (run.stdout, run.stderr):
            assert "198609262015051002" not in stream
            assert "kxabcdqz" not in stream


@pytest.mark.parametrize(
    "extra",
    [(), ("--nip-column", "NIP"), ("--email-column", "EMAIL")],
    ids=["auto", "nip", "email"],
)
def test_mask_hides_personal_data_in_unusable_input_errors(
    tmp_path: Path, extra: tuple[str, ...]
) -> None:
    rows = [("198609262015051002", "kxabcdqz@gmail.com"), ("199001012015031003", "x@y.id")]
    text = masked_batch(tmp_path, rows, *extra)
    assert "198609262015051002" not in text
    assert "kxabcdqz@gmail.com" not in text


@pytest.mark.parametrize(
    "email", ["KXabcdqz@gmail.com", "kx..abcdqz@gmail.com", "kxabcdqz.@gmail.com"]
)
def test_mask_hides_the_local_part_in_email_findings(tmp_path: Path, email: str) -> None:
    text = masked_batch(tmp_path, [("NIP", "EMAIL"), ("198609262015051002", email)])
    assert "abcdqz" not in text.casefold()


def test_mask_hides_lookalike_nip_digits(tmp_path: Path) -> None:
    arabic = "".join(chr(0x660 + int(d)) for d in "198609262015051002")
    text = masked_batch(tmp_path, [("NIP", "EMAIL"), (arabic, "kxabcdqz@gmail.com")])
    assert "8609262015" not in ascii_digits(text)  # digits 3-12: the mask shows 1-2 only


# --------------------------------------------------------------------------- password

PASSWORD_CHARS = st.characters(
    codec="utf-8", exclude_characters="\n\r\x00\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e"
)


@st.composite
def passwords(draw: st.DrawFn) -> str:
    """A distinctive password (a marker no message contains), with debris around it."""
    core = draw(st.from_regex(r"Qz[A-Za-z0-9]{2,10}7w", fullmatch=True))
    core = (
        draw(st.text(PASSWORD_CHARS, max_size=4)) + core + draw(st.text(PASSWORD_CHARS, max_size=4))
    )
    pad = st.sampled_from(["", " ", "\t", "\u00a0", "\u200b", "  "])
    return draw(pad) + core + draw(pad)


@settings(
    max_examples=max(3, round(settings().max_examples * 0.4)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    password=passwords(),
    fmt=st.sampled_from(["text", "json"]),
    lang=st.sampled_from(["id", "en"]),
    policy=st.sampled_from([None, "mysapk", "myasn", "asn-digital"]),
    ending=st.sampled_from(["", "\n", "\r\n", "\nsecond line\n"]),
    color=st.sampled_from(["never", "always"]),
)
@example(password="Qzabc7w", fmt="json", lang="en", policy=None, ending="\n", color="never")
def test_password_is_never_printed(
    password: str, fmt: str, lang: str, policy: str | None, ending: str, color: str
) -> None:
    args = ["password", "--stdin", "--format", fmt, "--lang", lang, "--color", color]
    if policy is not None:
        args += ["--policy", policy]
    run = run_cli(*args, input=(password + ending).encode("utf-8"))
    assert run.exit_code in (0, 1), run.stderr
    assert_not_shown(password, run)


def assert_not_shown(password: str, run: Run) -> None:
    marker = re.search(r"Qz[A-Za-z0-9]*7w", password)
    assert marker is not None
    for stream in (run.stdout, run.stderr):
        # casefolded too: a language or choice is echoed lower-cased
        assert marker.group(0).casefold() not in stream.casefold()
        assert password.strip() not in stream


@pytest.mark.parametrize(
    "args",
    [
        ("password", "Qzrahasia7w"),
        ("password", "--stdin", "Qzrahasia7w"),
        ("password", "Qzrahasia7w", "--format", "json"),
        ("password", "--format", "json", "--lang", "en", "Qzrahasia7w", "more"),
        ("password", "--", "Qzrahasia7w"),
        ("password", "--", "--Qzrahasia7w"),
        ("password", "-Qzrahasia7w"),
        ("password", "--policy", "myasn", "Qzrahasia7w"),
        ("password", "--policy", "nope", "Qzrahasia7w"),
        ("password", "--lang", "xx", "Qzrahasia7w"),
        ("password", "--stdin", "--lang", "Qzrahasia7w"),  # the value typed after --lang
        ("check", "--nip", "1", "--lang=Qzrahasia7w"),
        ("password", "--profile", "/no/such/file.toml", "Qzrahasia7w"),
        ("password", "Qzrahasia7w", "--bogus"),
        ("password", "--Qzrahasia7w"),
    ],
)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_password_argument_is_refused_and_not_echoed(args: tuple[str, ...], lang: str) -> None:
    run = run_cli(*args, input=b"Qzrahasia7w\n", env={"SAPKCHECK_LANG": lang})
    assert run.exit_code == 2
    assert run.stdout == ""
    assert_not_shown("Qzrahasia7w", run)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--nip", "198609262015051001", "Qzrahasia7w"),
        ("check", "--email", "eli@gmail.com", "Qzrahasia7w", "--format", "json"),
        ("batch", "staff.csv", "Qzrahasia7w"),
        ("triage", "token tidak masuk", "Qzrahasia7w"),
        ("explain", "nip-length", "Qzrahasia7w"),
        ("Qzrahasia7w",),
        ("Qzrahasia7w", "--nip", "198609262015051001"),
    ],
)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_stray_argument_is_refused_and_not_echoed(args: tuple[str, ...], lang: str) -> None:
    """A password typed after another command's values is an extra argument: refused
    (exit 2) without repeating it."""
    run = run_cli(*args, env={"SAPKCHECK_LANG": lang})
    assert run.exit_code == 2
    assert_not_shown("Qzrahasia7w", run)


@pytest.mark.parametrize("word", ["Password123", "Pa55word", "password1", "Passw0rd!"])
def test_a_password_near_a_command_s_name_is_not_repeated(word: str) -> None:
    """Close to the "password" command, the commonest weak passwords got "No such command
    'Password123'. Did you mean: password": the command is suggested, the word not shown."""
    run = run_cli(word, env={"SAPKCHECK_LANG": "en"})
    assert run.exit_code == 2
    assert word not in run.stdout + run.stderr
    assert "Did you mean: password" in run.stderr


@pytest.mark.parametrize("data", [b"\xffQzrahasia7w\n", b"Qzrahasia7w\xc3\n", b"\xfe\xffQz7w"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_password_unreadable_stdin_is_not_echoed(data: bytes, fmt: str) -> None:
    run = run_cli("password", "--stdin", "--format", fmt, input=data)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "Qz" not in run.stdout + run.stderr


# --------------------------------------------------------------------------- check --hint


@settings(max_examples=max(3, round(settings().max_examples * 0.2)), deadline=None)
@given(
    hint=st.sampled_from(["", "   ", "no-at", "a@b@c", "@gmail.com", "eli***@", "el i**@x.id"]),
    person=people(),
    fmt=st.sampled_from(["text", "json"]),
)
def test_malformed_hint_error_shows_no_other_value(person: Person, hint: str, fmt: str) -> None:
    """The usage error about a malformed --hint names the hint only: not the NIP, the
    address, the registered address or the token given with it."""
    token = "Tk" + person.digits[::-1]
    run = run_cli(
        "check",
        "--nip",
        person.nip,
        "--email",
        person.email,
        "--registered",
        person.registered or "zzkxabcqz@gmail.com",
        "--token",
        token,
        "--hint",
        hint,
        "--format",
        fmt,
    )
    assert run.exit_code == 2
    assert run.stdout == ""
    assert leaks(run.stderr, [person], parts=True) == []
    assert token not in run.stderr


def test_mask_hides_birth_date_and_tmt_quoted_in_messages(tmp_path: Path) -> None:
    """Birth month and TMT year quoted by NIP findings are personal (registry), so masked."""
    source = tmp_path / "staff.csv"
    source.write_text("NIP;EMAIL\n198613262085051001;a@b.id\n", encoding="utf-8")
    run = run_cli("batch", str(source), "--format", "json", "--mask", "--jobs", "1")
    messages = " ".join(f["message"] for r in run.json()["records"] for f in r["findings"])
    assert "nip-birth-date" in run.stdout, run.stdout
    assert "13" not in messages and "2085" not in messages, messages
