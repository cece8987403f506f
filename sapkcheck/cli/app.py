"""The Typer application and the exit-code contract: usage problems and internal failures
exit 2 with one sentence on stderr (a traceback only with --debug); Ctrl-C exits 130.

Only the invoked command is built: Typer builds every command's options at start-up.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import importlib
import io
import os
import signal
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from sapkcheck import __version__, errors
from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import (
    catalog,
    resolve_lang,
)

if TYPE_CHECKING:
    pass


from sapkcheck.cli.session import Session, fail, from_argv, say, visible_text

# click's usage error (vendored by typer >= 0.26 as typer._click; BadParameter's base).
_UsageError: type[Exception] = typer.BadParameter.__mro__[1]

# A failed write to stdout with one of these is "cannot write" (exit 2), not a crash.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EBADF, errno.EIO})
_STOP_SIGNALS = ("SIGTERM", "SIGHUP")  # SIGHUP: not on Windows


class SapkcheckGroup(TyperGroup):
    """Adds the exit-code contract: usage problems and internal failures exit 2 with one
    sentence on stderr (a traceback only with --debug); Ctrl-C exits 130."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # typer would exit 130 silently; say why the prompt is back.
            say(f"\n{catalog(Session.lang).ui('error-interrupted')}")
            raise typer.Exit(errors.INTERRUPTED) from None
        except typer.BadParameter as error:
            # click would repeat the value, which may be a password typed in the wrong place
            raise _bad_value(error) from None
        except _UsageError as error:
            error.message = visible_text(str(error.message))  # type: ignore[attr-defined]
            raise
        except BrokenPipeError:
            # click would exit 1 (the code for "errors found"): the reader stopped, be quiet.
            _silence_stdout()
            raise typer.Exit(errors.BROKEN_PIPE) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _make_streams_safe()
        _early_lang()
        return self._guarded_main(*args, **kwargs)

    def _guarded_main(self, *args: Any, **kwargs: Any) -> Any:
        # Library warnings may quote a cell (openpyxl: "the serial value 1986… is outside
        # the limits for dates"): a user never sees them; --debug shows them.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self._run(*args, **kwargs)

    def _run(self, *args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return super().main(*args, **kwargs)
            finally:
                sys.stdout.flush()  # a full or closed stdout fails here, not at exit
        except UsageProblem as problem:
            fail(problem.key, **problem.params)
        except KeyboardInterrupt:
            say(f"\n{catalog(Session.lang).ui('error-interrupted')}")
            sys.exit(errors.INTERRUPTED)
        except errors.Terminated as stop:
            _discard_temp_files()
            say(f"\n{catalog(Session.lang).ui('error-terminated', signal=stop.name)}")
            sys.exit(128 + stop.signum)
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(errors.BROKEN_PIPE)
        except OSError as error:
            if error.errno not in _WRITE_ERRNOS or Session.debug:
                raise
            _silence_stdout()
            reason = (
                "full"
                if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
                else ("closed" if error.errno == errno.EBADF else "io")
            )
            fail("error-cannot-write", path="stdout", reason=reason)
        except Exception as error:
            if Session.debug:
                raise
            fail("error-internal", error=type(error).__name__)


def _early_lang() -> None:
    """The language for errors found while the options are parsed (before the command
    resolves it): --lang or SAPKCHECK_LANG, if usable."""
    argv = sys.argv[1:]
    value = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    with contextlib.suppress(Exception):
        Session.lang = resolve_lang(from_argv(value))


def _bad_value(error: typer.BadParameter) -> UsageProblem:
    """An unusable option value, named by its option and the allowed choices, never by
    the value itself."""
    param = error.param
    opts = [opt for opt in getattr(param, "opts", ()) if opt.startswith("--")]
    option = max(opts, key=len) if opts else (getattr(param, "name", None) or "?")
    # typer >= 0.26 keeps the annotation (an Enum of choices); click keeps Choice.choices
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        choices: Any = [member.value for member in annotation]
    else:
        choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        return UsageProblem("error-bad-choice", option=option, choices=", ".join(map(str, choices)))
    return UsageProblem("error-bad-value", option=option)


class _ClosedStream(io.TextIOBase):
    """Stands for a stdout that was closed before start (``>&-``): writing to it is the
    one-line "cannot write" error, not an internal failure."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "stdout is closed")


def _silence_stdout() -> None:
    """After a failed write to stdout: whatever is still buffered goes nowhere, so the
    interpreter's final flush cannot fail again (no "Exception ignored" noise)."""
    with contextlib.suppress(AttributeError, ValueError, OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit


def _install_stop_handlers() -> dict[int, Any]:
    """SIGTERM and SIGHUP unwind the main process like Ctrl-C (``errors.Terminated``), so
    the atomic writer removes its temp file; a forked worker still dies at once."""
    main_pid = os.getpid()
    stopping: list[int] = []

    def stop(number: int, frame: Any) -> None:
        if os.getpid() != main_pid:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        if stopping:  # a second signal must not cut the clean-up short
            return
        # (not SIG_IGN: a worker the pool forks while unwinding would inherit it and
        # then ignore the pool's own SIGTERM)
        stopping.append(number)
        raise errors.Terminated(number, signal.Signals(number).name)

    previous: dict[int, Any] = {}
    for name in _STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            previous[number] = signal.signal(number, stop)
    return previous


def _discard_temp_files() -> None:
    """The atomic writer's temp files, if a batch was writing (never imported for this)."""
    output = sys.modules.get("sapkcheck.batch.output")
    if output is not None:
        output.discard_all()


def _make_streams_safe() -> None:
    """Never crash on a character the console cannot encode (cp1252, lone surrogates)."""
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"sapkcheck {__version__}\n")
        raise typer.Exit(errors.OK)


def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """sapkcheck: diagnose MySAPK activation and password-reset failures.

    Without a command on a terminal it starts the guided mode (sapkcheck guide);
    without a terminal it prints this help and exits 2."""
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty() and sys.stdout.isatty():
        ctx.invoke(command_function("guide"))
        return
    typer.echo(ctx.get_help())
    raise typer.Exit(errors.UNUSABLE)


# Command name -> the module that defines it: only the invoked command's module is imported.
COMMANDS: dict[str, str] = {
    "check": "check",
    "explain": "reference",
    "password": "password",
    "faq": "reference",
    "profile": "reference",
    "guide": "check",
    "batch": "batch",
}


def command_function(name: str) -> Callable[..., None]:
    module = importlib.import_module(f"sapkcheck.cli.commands.{COMMANDS[name]}")
    function: Callable[..., None] = getattr(module, name)
    return function


def build_app(only: str | None = None) -> typer.Typer:
    """The CLI; with ``only``, just that command (Typer builds every command's options at
    start-up, which a single question should not pay for)."""
    cli = typer.Typer(
        cls=SapkcheckGroup,
        name="sapkcheck",
        help="Why did a MySAPK activation or password reset fail, and what to do? Checks "
        "what was typed (NIP, email, token, password) and prints the FAQ remedy.",
        epilog=errors.HELP,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    cli.callback(invoke_without_command=True)(root)
    for name in COMMANDS:
        if only is None or name == only:
            # password: an unknown "--option" may be a password typed on the command line;
            # it is collected and refused without repeating it.
            settings = {"ignore_unknown_options": True} if name == "password" else None
            command = cli.command(name, epilog=errors.HELP, context_settings=settings)
            command(command_function(name))
    return cli


app = build_app()


def main() -> None:
    """The program's entry point (console script and ``python -m sapkcheck``): a real
    process, so SIGTERM and SIGHUP are turned into a clean exit here (not for in-process
    callers such as a test runner, whose signals stay theirs)."""
    _install_stop_handlers()
    wanted = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in COMMANDS else None
    typer.main.get_command(build_app(wanted))(prog_name="sapkcheck")
