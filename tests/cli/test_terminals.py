"""Output on terminals as they are: non-UTF-8 stdout, NO_COLOR / --color, narrow terminals,
output piped to a file, and the batch progress bar.

Every case runs the real program in a subprocess (``python -m sapkcheck``), with real
pseudo-terminals where a terminal is needed. All runs are declared in ``SPECS`` and executed
once per module, concurrently (a thread pool of waiting subprocesses), so the file stays fast;
each test then only looks at the result of the runs it names.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unicodedata
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest

# --------------------------------------------------------------------------- inputs

NIP_BAD = "19861326 201505 3 001 "  # month 13, sex digit 3, display groups, trailing space
EMAIL_BAD = "\u0435lisa@gmail.com\u200b "  # Cyrillic 'е', zero-width space, trailing space
MESSAGE = "Operasi Gagal"
CHECK_EN = ("check", "--nip", NIP_BAD, "--email", EMAIL_BAD, "--message", MESSAGE, "--lang", "en")
CHECK_ID = ("check", "--nip", NIP_BAD, "--email", EMAIL_BAD, "--message", MESSAGE, "--lang", "id")
PASSWORD_BAD = "abc d\u00e9f"  # no capital, no digit, a non-ASCII letter
FAQ_QUERY = "Muncul pesan \u201cOperasi Gagal\u201d"  # curly quotes: in cp1252, not in ASCII

CSV_HEADER = "NO;NAMA;NIP;EMAIL;EMAIL SAPK\n"
INPUT_FILES: dict[str, str] = {
    # Rows with errors: trailing space, wrong NIP digits, Cyrillic 'а'; and a fine row.
    "@staff": CSV_HEADER
    + "1;Eli Sari;19860926 201505 2 001;eli.sari@gmail.com ;eli.sari@gmail.com\n"
    + "2;Budi;198613262015053001;budi@gmial.com;budi@gmail.com\n"
    + "3;Citra;198701012015032001;citr\u0430@yahoo.co.id;citra@yahoo.co.id\n"
    + "4;Fajar;199001012015031003;fajar@gmail.com;fajar@gmail.com\n",
    # A no-break space after the email (Excel and web copies carry them).
    "@nbsp": CSV_HEADER + "1;Eli;198609262015052001;eli@gmail.com\u00a0;eli@gmail.com\n",
    # MATHEMATICAL BOLD DIGIT ONE (outside the BMP) as the last NIP digit.
    "@nonbmp": CSV_HEADER + "1;Eli;19860926201505200\U0001d7cf;eli@gmail.com;eli@gmail.com\n",
    # A C1 control (U+009B, the 8-bit CSI) and zero-width spaces inside cells.
    "@controls": CSV_HEADER
    + "1;Eli;198609262015052001;eli\u009b31m@gmail.com;eli@gmail.com\n"
    + "2;Budi;19860926201505200\u200b1;x\u200b@gmail.com;x@gmail.com\n",
}

# --------------------------------------------------------------------------- runs

Stream = Literal["pipe", "pty", "file"]
_CLEARED = (
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLORTERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "COLUMNS",
    "LINES",
    "SAPKCHECK_LANG",
    "SAPKCHECK_PROFILE",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "PYTHONCOERCECLOCALE",
    "LC_ALL",
    "LC_CTYPE",
)
RUN_TIMEOUT = 60.0


@dataclass(frozen=True)
class Spec:
    """One run: argv after the interpreter, env changes (None removes), where streams go."""

    argv: tuple[str, ...]
    env: Mapping[str, str | None] = field(default_factory=dict)
    stdin: bytes | None = None
    stdout: Stream = "pipe"
    stderr: Literal["pipe", "pty"] = "pipe"
    columns: int = 80


@dataclass(frozen=True)
class Result:
    argv: tuple[str, ...]
    code: int
    stdout: bytes
    stderr: bytes

    def out(self, encoding: str = "utf-8") -> str:
        return self.stdout.decode(encoding)  # strict: the bytes must be in that encoding

    def err(self, encoding: str = "utf-8") -> str:
        return self.stderr.decode(encoding)


def sapk(*args: str) -> tuple[str, ...]:
    return ("-m", "sapkcheck", *args)


def base_env(changes: Mapping[str, str | None]) -> dict[str, str]:
    env = dict(os.environ)
    for name in _CLEARED:
        env.pop(name, None)
    env["TERM"] = "xterm-256color"
    env["LANG"] = "C.UTF-8"
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def execute(spec: Spec, workdir: Path, files: Mapping[str, str]) -> Result:
    """Run ``spec`` with a read deadline; a pty's output has its CRLF turned back into LF."""
    argv = (sys.executable, *(files.get(arg, arg) for arg in spec.argv))
    master = slave = -1
    if "pty" in (spec.stdout, spec.stderr):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, spec.columns, 0, 0))
    out_file: Path | None = None
    stdout_target: int
    if spec.stdout == "pty":
        stdout_target = slave
    elif spec.stdout == "file":
        handle, name = tempfile.mkstemp(dir=workdir, suffix=".out")
        stdout_target, out_file = handle, Path(name)
    else:
        stdout_target = subprocess.PIPE
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if spec.stdin is not None else subprocess.DEVNULL,
            stdout=stdout_target,
            stderr=slave if spec.stderr == "pty" else subprocess.PIPE,
            env=base_env(spec.env),
            cwd=workdir,
        )
    finally:
        for fd in (slave, stdout_target if out_file is not None else -1):
            if fd >= 0:
                os.close(fd)
    if proc.stdin is not None:
        try:
            proc.stdin.write(spec.stdin or b"")
            proc.stdin.close()
        except BrokenPipeError:
            pass
    names: dict[int, str] = {}
    if master >= 0:
        names[master] = "pty"
    if proc.stdout is not None:
        names[proc.stdout.fileno()] = "stdout"
    if proc.stderr is not None:
        names[proc.stderr.fileno()] = "stderr"
    chunks = {name: bytearray() for name in ("pty", "stdout", "stderr")}
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while names:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                proc.kill()
                raise AssertionError(f"no end of output within {RUN_TIMEOUT:.0f}s: {argv}")
            ready, _, _ = select.select(list(names), [], [], remaining)
            for fd in ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: every copy of the pty's terminal side is closed
                    chunk = b""
                if chunk:
                    chunks[names[fd]] += chunk
                else:
                    del names[fd]
        code = proc.wait(timeout=max(deadline - time.monotonic(), 1.0))
    finally:
        if master >= 0:
            os.close(master)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    terminal = bytes(chunks["pty"]).replace(b"\r\n", b"\n")
    if out_file is not None:
        stdout = out_file.read_bytes()
    else:
        stdout = terminal if spec.stdout == "pty" else bytes(chunks["stdout"])
    stderr = terminal if spec.stderr == "pty" else bytes(chunks["stderr"])
    return Result(spec.argv, code, stdout, stderr)


# --------------------------------------------------------------------------- 1. encodings


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    code: int
    stdin: bytes | None = None
    marks: tuple[tuple[str, str], ...] = ()  # (Unicode mark, ASCII mark) that must show
    user: tuple[str, ...] = ()  # typed characters that must show (or show as escapes)
    data: tuple[str, ...] = ()  # the same for characters read from the input file


FAIL_MARKS = (("\u2717 ", "X "), ("\u2192 ", "-> "))
TEXT_CASES: dict[str, Case] = {
    "check": Case(
        CHECK_EN,
        1,
        marks=(*FAIL_MARKS, ("\u2423", "[SP]"), ("\u27e8U+", "<U+")),
        user=("\u0435", "\u200b"),
    ),
    "explain": Case(("explain", "nip-serial"), 0),
    "faq": Case(("faq", FAQ_QUERY, "--lang", "en"), 0),
    "profile": Case(("profile", "--lang", "en"), 0),
    "password": Case(
        ("password", "--stdin", "--lang", "en"),
        1,
        stdin=PASSWORD_BAD.encode() + b"\n",
        marks=FAIL_MARKS,
    ),
    "password-ok": Case(
        ("password", "--stdin"), 0, stdin=b"Abcdef12345!\n", marks=(("\u2713 ", "OK "),)
    ),
    "batch": Case(
        ("batch", "@staff", "--jobs", "1", "--lang", "en"),
        1,
        marks=(("\u2717 [", "X ["),),
        data=("\u0430",),
    ),
    "usage-error": Case(("explain", "nip-s\u00e9rial"), 2, user=("\u00e9",)),
}
JSON_CASES: dict[str, Case] = {
    "check": Case((*CHECK_EN, "--format", "json"), 1),
    "explain": Case(("explain", "--format", "json"), 0),
    "faq": Case(("faq", FAQ_QUERY, "--format", "json"), 0),
    "profile": Case(("profile", "--format", "json"), 0),
    "password": Case(
        ("password", "--stdin", "--format", "json"), 1, stdin=PASSWORD_BAD.encode() + b"\n"
    ),
    "batch": Case(("batch", "@staff", "--format", "json", "--jobs", "1"), 1),
}
ENCODINGS: dict[str, dict[str, str | None]] = {
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    # As a user's shell has it: Python then coerces the C locale to UTF-8 (PEP 538/540).
    "LANG=C": {"LANG": "C"},
    # The same where that coercion is off: stdout really is ASCII.
    "LANG=C-no-coercion": {
        "LANG": "C",
        "LC_ALL": "C",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONUTF8": "0",
    },
}
UNICODE_MARKS = "\u2713\u2717\u2192\u27e8\u27e9"

# --------------------------------------------------------------------------- 2. colour

COLOR_CASES: dict[str, Case] = {
    "check": Case(CHECK_EN, 1),
    "explain": Case(("explain", "nip-serial"), 0),
    "faq": Case(("faq", "operasi-gagal"), 0),
    "profile": Case(("profile",), 0),
    "password": Case(("password", "--stdin"), 1, stdin=b"abc\n"),
    "batch": Case(("batch", "@staff", "--jobs", "1"), 1),
}
COLOR_SCENARIOS: dict[str, tuple[tuple[str, ...], dict[str, str | None], Stream]] = {
    "no-color-env-pty": ((), {"NO_COLOR": "1"}, "pty"),
    "never-pty": (("--color", "never"), {}, "pty"),
    "always-pipe": (("--color", "always"), {}, "pipe"),
    "auto-pipe": (("--color", "auto"), {}, "pipe"),
    "auto-pty": ((), {}, "pty"),
    "auto-file": ((), {}, "file"),
}

# --------------------------------------------------------------------------- 3. narrow

NARROW = 40
NARROW_CASES: dict[str, Case] = {
    "check-en": Case(CHECK_EN, 1),
    "check-id": Case(CHECK_ID, 1),
    "explain-list": Case(("explain", "--lang", "en"), 0),
    "explain-code": Case(("explain", "email-trailing-space"), 0),
    "faq-list": Case(("faq",), 0),
    "faq-query": Case(("faq", "Operasi gagal, data email yang dimasukkan tidak sesuai"), 0),
    "profile": Case(("profile",), 0),
}


def _specs() -> dict[str, Spec]:
    specs: dict[str, Spec] = {}
    for enc, env in ENCODINGS.items():
        probe = "import sys; print(sys.stdout.encoding, sys.getfilesystemencoding())"
        specs[f"probe/{enc}"] = Spec(("-c", probe), env)
        for name, case in TEXT_CASES.items():
            specs[f"enc-text/{enc}/{name}"] = Spec(sapk(*case.args), env, case.stdin)
        for name, case in JSON_CASES.items():
            specs[f"enc-json/{enc}/{name}"] = Spec(sapk(*case.args), env, case.stdin)
    for scenario, (extra, env, stdout) in COLOR_SCENARIOS.items():
        for name, case in COLOR_CASES.items():
            specs[f"color/{scenario}/{name}"] = Spec(
                sapk(*case.args, *extra), env, case.stdin, stdout=stdout
            )
    specs["color/always-pipe-no-color-env/check"] = Spec(
        sapk(*CHECK_EN, "--color", "always"), {"NO_COLOR": "1"}
    )
    specs["color/always-dumb-term/check"] = Spec(
        sapk(*CHECK_EN, "--color", "always"), {"TERM": "dumb"}
    )
    specs["ref/check-spans"] = Spec(sapk(*CHECK_EN, "--format", "json"))
    for name, case in NARROW_CASES.items():
        specs[f"narrow-env/{name}"] = Spec(sapk(*case.args), {"COLUMNS": str(NARROW)}, case.stdin)
        specs[f"narrow-pty/{name}"] = Spec(
            sapk(*case.args), {}, case.stdin, stdout="pty", columns=NARROW
        )
        specs[f"wide/{name}"] = Spec(sapk(*case.args), {"COLUMNS": "200"}, case.stdin)
    specs["narrow-cp1252/check-en"] = Spec(
        sapk(*CHECK_EN), {"COLUMNS": str(NARROW), "PYTHONIOENCODING": "cp1252"}
    )
    for name, case in JSON_CASES.items():
        specs[f"json-stderr-pty/{name}"] = Spec(sapk(*case.args), {}, case.stdin, stderr="pty")
    batch = ("batch", "@staff", "--lang", "en")
    specs["progress/stderr-pty"] = Spec(sapk(*batch, "--jobs", "2"), stderr="pty")
    specs["progress/stderr-pty-json"] = Spec(sapk(*batch, "--format", "json"), stderr="pty")
    specs["progress/stdout-pty"] = Spec(sapk(*batch, "--jobs", "1"), stdout="pty")
    specs["progress/pipes"] = Spec(sapk(*batch, "--jobs", "2"))
    for enc, fmt, source in (("ascii", "jsonl", "@nbsp"), ("cp1252", "json", "@nonbmp")):
        specs[f"batch-json-escapes/{enc}-{fmt}"] = Spec(
            sapk("batch", source, "--format", fmt, "--jobs", "1"), {"PYTHONIOENCODING": enc}
        )
    specs["batch-csv/cp1252"] = Spec(
        sapk("batch", "@staff", "--format", "csv", "--jobs", "1"), {"PYTHONIOENCODING": "cp1252"}
    )
    specs["batch-controls/pipe"] = Spec(sapk("batch", "@controls", "--jobs", "1", "--lang", "en"))
    return specs


SPECS = _specs()

Results = Mapping[str, "Future[Result]"]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Results]:
    workdir = tmp_path_factory.mktemp("terminals")
    files: dict[str, str] = {}
    for placeholder, content in INPUT_FILES.items():
        path = workdir / f"{placeholder[1:]}.csv"
        path.write_text(content, encoding="utf-8", newline="")
        files[placeholder] = str(path)
    workers = min(max(os.cpu_count() or 2, 2), 8)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(execute, spec, workdir, files) for name, spec in SPECS.items()}
        yield futures


def get(results: Results, name: str) -> Result:
    return results[name].result()


# --------------------------------------------------------------------------- helpers

CSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
SGR = re.compile(r"\x1b\[([0-9;]*)m")
COLOUR_PARAMS = {*range(30, 50), *range(90, 98), *range(100, 108)}


def strip_ansi(text: str) -> str:
    return CSI.sub("", text)


def sgr_params(text: str) -> set[int]:
    return {int(p) for group in SGR.findall(text) for p in group.split(";") if p}


def has_colour(text: str) -> bool:
    return bool(sgr_params(text) & COLOUR_PARAMS)


def cells(text: str) -> int:
    """Terminal columns ``text`` takes (wide East Asian 2, combining and format marks 0)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def styled_chars(line: str) -> list[tuple[str, frozenset[int]]]:
    """Each visible character of ``line`` with the SGR parameters in force on it."""
    shown: list[tuple[str, frozenset[int]]] = []
    active: set[int] = set()
    position = 0
    for match in SGR.finditer(line):
        shown += [(ch, frozenset(active)) for ch in line[position : match.start()]]
        params = [int(p) for p in match.group(1).split(";") if p] or [0]
        if 0 in params:
            active = set()
            params = params[params.index(0) + 1 :]
        active |= set(params)
        position = match.end()
    shown += [(ch, frozenset(active)) for ch in line[position:]]
    return shown


def single_json(text: str) -> Any:
    """The one JSON document ``text`` holds; anything but whitespace after it fails."""
    document, end = json.JSONDecoder().raw_decode(text.lstrip())
    assert text.lstrip()[end:].strip() == "", f"more than one JSON document: {text[end:]!r}"
    return document


def no_traceback(result: Result) -> None:
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stdout


def expect_code(result: Result, code: int) -> None:
    assert result.code == code, (
        f"{result.argv}: exit {result.code}, expected {code}\n"
        f"stderr: {result.stderr.decode(errors='replace')}"
    )


def encoding_of(results: Results, enc: str) -> str:
    """The child's stdout encoding under the environment ``enc``."""
    return get(results, f"probe/{enc}").out("ascii").split()[0]


def received(results: Results, enc: str, typed: str) -> str:
    """``typed`` (a UTF-8 argument) as sapkcheck reads it. In an ASCII locale its
    non-ASCII bytes reach ``sys.argv`` as lone surrogates; sapkcheck reads those back as
    the UTF-8 they are, so what was typed comes back unchanged in every locale."""
    assert get(results, f"probe/{enc}").out("ascii").split()[1]  # the probe ran
    return typed


def unicode_capable(encoding: str) -> bool:
    try:
        UNICODE_MARKS.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def escaped(ch: str) -> str:
    """How the backslashreplace error handler writes ``ch``."""
    return ch.encode("ascii", "backslashreplace").decode("ascii")


def shown_forms(ch: str, encoding: str) -> tuple[str, ...]:
    """How ``ch`` may show: an invisible one as sapkcheck's <U+XXXX> marker; a visible one
    as itself if the stream can encode it, else as the stream's backslashreplace escape."""
    marker = f"U+{ord(ch):04X}"
    if not ch.isprintable():
        return f"\u27e8{marker}\u27e9", f"<{marker}>", escaped(ch)
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return escaped(ch), f"<{marker}>"
    return (ch,)


# --------------------------------------------------------------------------- 1. not UTF-8


@pytest.mark.parametrize("case", list(TEXT_CASES))
@pytest.mark.parametrize("enc", list(ENCODINGS))
def test_text_output_on_a_stdout_that_is_not_utf8(results: Results, enc: str, case: str) -> None:
    spec, result = TEXT_CASES[case], get(results, f"enc-text/{enc}/{case}")
    encoding = encoding_of(results, enc)
    expect_code(result, spec.code)
    no_traceback(result)
    out, err = result.out(encoding), result.err(encoding)  # strict decoding
    if spec.code == 2:
        assert out == ""
        assert err.startswith("sapkcheck: ") and err.count("\n") == 1, err
    else:
        assert out.strip(), "nothing on stdout"
        assert err == ""
    capable = unicode_capable(encoding)
    for unicode_mark, ascii_mark in spec.marks:
        assert (unicode_mark if capable else ascii_mark) in out, out
    if not capable:
        for mark in UNICODE_MARKS:
            assert escaped(mark) not in out, f"{mark!r} printed as an escape instead of ASCII"
    typed = "".join(received(results, enc, ch) for ch in spec.user)
    for ch in typed + "".join(spec.data):
        forms = shown_forms(ch, encoding)
        assert any(form in out + err for form in forms), f"{ch!r} should show as {forms}"
    if case == "password":
        assert PASSWORD_BAD not in out and escaped(PASSWORD_BAD) not in out


@pytest.mark.parametrize("case", list(JSON_CASES))
@pytest.mark.parametrize("enc", list(ENCODINGS))
def test_json_output_on_a_stdout_that_is_not_utf8(results: Results, enc: str, case: str) -> None:
    spec, result = JSON_CASES[case], get(results, f"enc-json/{enc}/{case}")
    expect_code(result, spec.code)
    no_traceback(result)
    assert result.stderr == b""
    document = single_json(result.out(encoding_of(results, enc)))
    assert document["schema_version"] == 1
    if case == "check":  # what was typed comes back exactly, whatever the encoding
        assert document["nip"]["input"] == NIP_BAD
        assert document["email"]["input"] == received(results, enc, EMAIL_BAD)
        assert document["message"]["input"] == MESSAGE
    elif case == "faq":
        assert document["query"] == received(results, enc, FAQ_QUERY)
    elif case == "password":
        assert PASSWORD_BAD not in json.dumps(document, ensure_ascii=False)
    elif case == "batch":
        emails = {r["row"]: r["email"]["input"] for r in document["records"]}
        assert emails[4] == "citr\u0430@yahoo.co.id"
        assert document["summary"]["rows"] == 4


def test_batch_csv_header_on_a_cp1252_stdout(results: Results) -> None:
    result = get(results, "batch-csv/cp1252")
    expect_code(result, 1)
    first = result.out("cp1252").splitlines()[0]
    # The input's delimiter, the headers in Indonesian (the default language).
    assert first == "Baris;NAMA;NO;NIP;Email;Status;Kode;Tingkat;Pesan;Cara memperbaiki;FAQ"


# --------------------------------------------------------------------------- 2. colour


@pytest.mark.parametrize("case", list(COLOR_CASES))
def test_no_color_env_on_a_terminal_removes_colour(results: Results, case: str) -> None:
    result = get(results, f"color/no-color-env-pty/{case}")
    expect_code(result, COLOR_CASES[case].code)
    out = result.out()
    assert not has_colour(out), f"colour SGR codes {sgr_params(out) & COLOUR_PARAMS}"


def test_no_color_env_on_a_terminal_emits_no_escapes(results: Results) -> None:
    for case in COLOR_CASES:
        out = get(results, f"color/no-color-env-pty/{case}").out()
        assert "\x1b" not in out, f"{case}: {out[:200]!r}"


def test_color_always_with_a_dumb_term(results: Results) -> None:
    result = get(results, "color/always-dumb-term/check")
    expect_code(result, 1)
    assert has_colour(result.out())


@pytest.mark.parametrize("scenario", ["auto-pipe", "auto-file"])
@pytest.mark.parametrize("case", list(COLOR_CASES))
def test_color_auto_piped_or_to_a_file_has_no_escapes(
    results: Results, scenario: str, case: str
) -> None:
    result = get(results, f"color/{scenario}/{case}")
    expect_code(result, COLOR_CASES[case].code)
    out = result.out()
    assert "\x1b" not in out and "\x9b" not in out, out[:200]
    assert "\r" not in out


@pytest.mark.parametrize("case", list(COLOR_CASES))
def test_color_auto_on_a_terminal_has_colour(results: Results, case: str) -> None:
    result = get(results, f"color/auto-pty/{case}")
    expect_code(result, COLOR_CASES[case].code)
    assert "\x1b[" in result.out()
    if case in ("check", "password", "batch"):
        assert has_colour(result.out())


def test_color_auto_on_a_terminal_highlights_the_nip_digits_at_fault(results: Results) -> None:
    reference = single_json(get(results, "ref/check-spans").out())
    spans = [
        tuple(f["span"])
        for f in reference["findings"]
        if f["field"] == "nip" and f["severity"] != "info" and f["span"]
    ]
    faulty = {i for start, end in spans for i in range(start, end)}
    assert faulty, "the reference run should locate the wrong digits"
    out = get(results, "color/auto-pty/check").out()
    nip_line = next(line for line in out.splitlines() if "NIP" in strip_ansi(line))
    chars = styled_chars(nip_line)
    plain = "".join(ch for ch, _ in chars)
    shown = NIP_BAD.replace(" ", "\u2423")
    start = plain.index(shown)
    for i, ch in enumerate(NIP_BAD):
        styles = chars[start + i][1]
        if i in faulty:
            assert styles, f"digit {i + 1} ({ch!r}) is at fault but not highlighted"
        elif ch.isdigit():
            assert not styles, f"digit {i + 1} ({ch!r}) is fine but styled {set(styles)}"


# --------------------------------------------------------------------------- 3. narrow

VALUE_LINE = re.compile(
    r"^(?:\u2713|\u2717|!|OK|X) (?:NIP|Email|Token|Message|Pesan)\s+(?P<value>\S.*)$"
)


def assert_fits(text: str, width: int) -> None:
    too_long = []
    for line in text.splitlines():
        if cells(line) <= width:
            continue
        value = VALUE_LINE.match(line)
        if value and cells(value["value"]) > width:
            continue  # the value itself cannot fit
        too_long.append(f"{cells(line):3} {line!r}")
    assert not too_long, "lines wider than the terminal:\n" + "\n".join(too_long)


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("how", ["narrow-env", "narrow-pty"])
@pytest.mark.parametrize("case", list(NARROW_CASES))
def test_narrow_terminal_lines_fit_and_nothing_is_lost(
    results: Results, case: str, how: str
) -> None:
    result = get(results, f"{how}/{case}")
    expect_code(result, NARROW_CASES[case].code)
    no_traceback(result)
    out = strip_ansi(result.out())
    if how == "narrow-env":
        assert "\x1b" not in result.out()
    assert_fits(out, NARROW)
    wide = get(results, f"wide/{case}").out()
    assert squeezed(out) == squeezed(wide), "text differs from the wide rendering"


@pytest.mark.parametrize("how", ["narrow-env", "narrow-pty"])
def test_narrow_terminal_keeps_every_finding_code(results: Results, how: str) -> None:
    reference = single_json(get(results, "ref/check-spans").out())
    codes = {f["code"] for f in reference["findings"]}
    assert {"nip-birth-date", "nip-sex", "email-trailing-space", "email-confusable"} <= codes
    out = strip_ansi(get(results, f"{how}/check-en").out())
    for code in codes:
        assert f"[{code}]" in out, f"{code} lost at {NARROW} columns"
    listing = strip_ansi(get(results, f"{how}/explain-list").out())
    every = {c["code"] for c in single_json(get(results, "enc-json/LANG=C/explain").out())["codes"]}
    listed = {line.split()[0] for line in listing.splitlines() if line.startswith("  ")}
    assert every <= listed, f"codes missing from the listing: {sorted(every - listed)}"


def test_narrow_cp1252_terminal_lines_fit(results: Results) -> None:
    result = get(results, "narrow-cp1252/check-en")
    expect_code(result, 1)
    assert_fits(result.out("cp1252"), NARROW)


# --------------------------------------------------------------------------- 4. files, JSON


@pytest.mark.parametrize("case", list(JSON_CASES))
def test_json_piped_is_one_document_with_a_terminal_on_stderr(results: Results, case: str) -> None:
    result = get(results, f"json-stderr-pty/{case}")
    expect_code(result, JSON_CASES[case].code)
    no_traceback(result)
    out = result.out()
    assert "\x1b" not in out
    assert single_json(out)["schema_version"] == 1
    if case != "batch":  # batch shows its progress bar there, see below
        assert result.stderr == b""


def test_batch_text_shows_no_raw_control_or_invisible_characters(results: Results) -> None:
    result = get(results, "batch-controls/pipe")
    expect_code(result, 1)
    out = result.out()
    raw = sorted(
        {
            f"U+{ord(ch):04X}"
            for ch in out
            if ch != "\n" and (unicodedata.category(ch) in ("Cc", "Cf") or ch == "\u009b")
        }
    )
    assert raw == [], f"raw control/format characters in the report: {raw}"


# --------------------------------------------------------------------------- 5. progress bar


def shows_progress(text: str) -> bool:
    """The bar's label, the bar itself, or the cursor hidden while it runs."""
    return "Checking" in text or "\u2501" in text or "\x1b[?25l" in text


def test_progress_bar_on_stderr_terminal_only(results: Results) -> None:
    result = get(results, "progress/stderr-pty")
    expect_code(result, 1)
    err, out = result.err(), result.out()
    assert "Checking" in err and "\x1b[" in err, err
    assert not shows_progress(out)
    assert "\x1b" not in out and "\r" not in out
    assert "Rows with errors" in out and "4 row(s) checked" in out


def test_progress_bar_keeps_piped_json_pure(results: Results) -> None:
    result = get(results, "progress/stderr-pty-json")
    expect_code(result, 1)
    assert "Checking" in result.err()
    assert single_json(result.out())["summary"]["rows"] == 4


def test_no_progress_bar_when_stderr_is_not_a_terminal(results: Results) -> None:
    result = get(results, "progress/stdout-pty")
    expect_code(result, 1)
    assert result.stderr == b""
    assert not shows_progress(result.out())


def test_no_progress_output_when_both_streams_are_piped(results: Results) -> None:
    result = get(results, "progress/pipes")
    expect_code(result, 1)
    assert result.stderr == b""
    out = result.out()
    assert not shows_progress(out)
    assert "\x1b" not in out and "\r" not in out
