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
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from sapkcheck import __version__, errors
from sapkcheck.cli.localize import HELP_OPTION_NAMES, LocalizedMixin, argv_lang
from sapkcheck.cli.session import Session, fail, say
from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.render.console import visible_text

if TYPE_CHECKING:
    from collections.abc import Sequence

# click's usage error (vendored by typer >= 0.26 as typer._click; BadParameter's base).
_UsageError: type[Exception] = typer.BadParameter.__mro__[1]

# A failed write to stdout with one of these is "cannot write" (exit 2), not a crash.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EBADF, errno.EIO})
_STOP_SIGNALS = ("SIGTERM", "SIGHUP")  # SIGHUP: not on Windows


class SapkcheckCommand(LocalizedMixin, TyperCommand):
    """A command whose help and usage line are in the session's language."""


class SapkcheckGroup(LocalizedMixin, TyperGroup):
    """Adds the exit-code contract: usage problems and internal failures exit 2 with one
    sentence on stderr (a traceback only with --debug); Ctrl-C exits 130. Help and usage
    errors are in the language of --lang / SAPKCHECK_LANG (Indonesian by default)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # typer would exit 130 silently; say why the prompt is back.
            say(f"\n{catalog(Session.lang).ui('error-interrupted')}")
            raise typer.Exit(errors.INTERRUPTED) from None
        except typer.BadParameter as error:
            if type(error).__name__ == "MissingParameter":
                raise  # nothing was typed: click's own sentence, in the chosen language
            # click would repeat the value, which may be a password typed in the wrong place
            raise _bad_value(error) from None
        except _UsageError as error:
            error.message = visible_text(str(error.message))  # type: ignore[attr-defined]
            raise
        except BrokenPipeError:
            # click would exit 1 (the code for "errors found"): the reader stopped, be quiet.
            _silence_stdout()
            raise typer.Exit(errors.BROKEN_PIPE) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **kwargs: Any,
    ) -> Any:
        _make_streams_safe()
        argv = _password_help(list(sys.argv[1:] if args is None else args))
        Session.lang = argv_lang(argv)
        try:
            # Library warnings may quote a cell (openpyxl: "the serial value 1986… is
            # outside the limits for dates"): a user never sees them; --debug shows them.
            with warnings.catch_warnings():
                if not Session.debug:
                    warnings.simplefilter("ignore")
                try:
                    result = self._parse_and_run(argv, prog_name, complete_var, **kwargs)
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
            _exit_now(128 + stop.signum)
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
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else errors.OK)

    def _parse_and_run(
        self, argv: list[str], prog_name: str | None, complete_var: str | None, **kwargs: Any
    ) -> Any:
        """Typer's main without its own error printing: click's usage errors are shown
        in the session's language (exit 2), an end of input as an abort (exit 1)."""
        # typer 0.29 bundles click: its exceptions live in typer._click.
        from typer._click import exceptions as click_errors

        try:
            return super().main(argv, prog_name, complete_var, standalone_mode=False, **kwargs)
        except click_errors.ClickException as error:
            from sapkcheck.cli.localize import show_usage_error

            show_usage_error(error)
            sys.exit(error.exit_code)
        except typer.Abort:
            sys.stderr.write(catalog(Session.lang).ui("error-aborted") + "\n")
            sys.exit(1)


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
        _start_watchdog(128 + number)
        raise errors.Terminated(number, signal.Signals(number).name)

    previous: dict[int, Any] = {}
    for name in _STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            previous[number] = signal.signal(number, stop)
    return previous


STOP_GRACE_SECONDS = 10.0


def _start_watchdog(code: int) -> None:
    """After a stop signal the clean-up gets ``STOP_GRACE_SECONDS``; should anything hang
    (the worker pool's bookkeeping interrupted half-way), the process still ends, its temp
    files discarded: a stop signal must never leave a process that does not stop."""
    import threading

    def expire() -> None:
        _discard_temp_files()
        os._exit(code)

    watchdog = threading.Timer(STOP_GRACE_SECONDS, expire)
    watchdog.daemon = True
    watchdog.start()


_REAL_PROCESS: list[bool] = []  # set by main(): the program runs as its own process


def _exit_now(code: int) -> NoReturn:
    """Leave at once after Ctrl-C or a stop signal, the clean-up done (the exception has
    unwound every writer): the interpreter's own exit would join the worker pool's threads,
    which an interruption inside the pool's bookkeeping can leave waiting for ever (seen in
    CI: a 30 s hang after "Interrupted."). In-process callers (tests) get SystemExit."""
    if not _REAL_PROCESS:
        raise SystemExit(code)
    if "multiprocessing" in sys.modules:
        import multiprocessing

        for child in multiprocessing.active_children():
            with contextlib.suppress(Exception):
                child.kill()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _discard_temp_files() -> None:
    """The atomic writer's temp files, if a batch was writing (never imported for this)."""
    output = sys.modules.get("sapkcheck.batch.output")
    if output is not None:
        output.discard_all()


def _password_help(argv: list[str]) -> list[str]:
    """``password`` takes -h only as a whole word: with -h among its short options,
    click would read a refused ``-…h…`` password argument as a request for help."""
    if argv[:1] != ["password"] or "-h" not in argv:
        return argv
    end = argv.index("--") if "--" in argv else len(argv)
    return [("--help" if i < end and a == "-h" else a) for i, a in enumerate(argv)]


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
        typer.Option("--version", "-V", callback=_version, is_eager=True),
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
    "triage": "triage",
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
        add_completion=False,
        context_settings={"help_option_names": HELP_OPTION_NAMES},
        pretty_exceptions_enable=False,
    )
    cli.callback(invoke_without_command=True)(root)
    for name in COMMANDS:
        if only is None or name == only:
            # password: an unknown "--option" may be a password typed on the command line;
            # it is collected and refused without repeating it.
            # Its help is --help only (and -h as a whole word, see _password_help).
            settings: dict[str, Any] | None = None
            if name == "password":
                settings = {"ignore_unknown_options": True, "help_option_names": ["--help"]}
            command = cli.command(name, cls=SapkcheckCommand, context_settings=settings)
            command(command_function(name))
    return cli


app = build_app()


# The last resort, when the error handler itself fails: its sentences come from the catalog,
# so a damaged install (a catalog file missing, unreadable or not valid TOML) would end in a
# traceback. These two need nothing from disk.
NO_CATALOG: dict[str, str] = {
    "id": "sapkcheck: kesalahan internal ({error}): berkas data sapkcheck tidak dapat dibaca; "
    "pasang ulang sapkcheck.\n",
    "en": "sapkcheck: internal error ({error}): sapkcheck's data files cannot be read; "
    "reinstall sapkcheck.\n",
}


def main() -> None:
    """The program's entry point (console script and ``python -m sapkcheck``): a real
    process, so SIGTERM and SIGHUP are turned into a clean exit here (not for in-process
    callers such as a test runner, whose signals stay theirs)."""
    # First thing: in a frozen build (PyInstaller, cx_Freeze) on Windows a batch worker is this
    # same executable started again, and freeze_support() turns it into the worker instead of
    # a second CLI (without it, a batch of 2,000+ rows starts processes forever). It does
    # nothing unless frozen, and importing multiprocessing costs every command ~15 ms.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    _REAL_PROCESS.append(True)
    previous = _install_stop_handlers()
    wanted = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in COMMANDS else None
    # Building the app reads the help catalog, before the options are parsed: --debug must
    # already count there (a traceback, not the last-resort sentence).
    Session.debug = Session.debug or "--debug" in sys.argv[1:]
    pipeline = sys.modules.get("sapkcheck.batch.pipeline")
    if pipeline is not None:
        pipeline.POOL_ABANDONED.clear()  # only this run's pool counts
    try:
        typer.main.get_command(build_app(wanted))(prog_name="sapkcheck")
    except SystemExit as done:
        pipeline = sys.modules.get("sapkcheck.batch.pipeline")
        if pipeline is not None and pipeline.POOL_ABANDONED:
            code = done.code
            _exit_now(errors.OK if code is None else code if isinstance(code, int) else 1)
        raise
    except Exception as error:
        if Session.debug:
            raise
        sys.stderr.write(
            NO_CATALOG.get(Session.lang, NO_CATALOG["id"]).format(error=type(error).__name__)
        )
        sys.exit(errors.UNUSABLE)
    finally:
        # A caller that runs main() in its own process (a test) gets its state back.
        _REAL_PROCESS.clear()
        for number, handler in previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(number, handler)
