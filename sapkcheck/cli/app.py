"""The Typer application and the exit-code contract: usage problems and internal failures
exit 2 with one sentence on stderr (a traceback only with --debug); Ctrl-C exits 130.

Only the invoked command is built: Typer builds every command's options at start-up.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from sapkcheck import __version__, errors
from sapkcheck.cli.localize import HELP_OPTION_NAMES, LocalizedMixin, argv_lang
from sapkcheck.cli.session import Session, fail
from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import catalog

if TYPE_CHECKING:
    from collections.abc import Sequence


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
            sys.stderr.write(f"\n{catalog(Session.lang).ui('error-interrupted')}\n")
            raise typer.Exit(errors.INTERRUPTED) from None

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
            result = self._parse_and_run(argv, prog_name, complete_var, **kwargs)
        except UsageProblem as problem:
            fail(problem.key, **problem.params)
        except KeyboardInterrupt:
            sys.stderr.write(f"\n{catalog(Session.lang).ui('error-interrupted')}\n")
            sys.exit(errors.INTERRUPTED)
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


def _password_help(argv: list[str]) -> list[str]:
    """``password`` takes -h only as a whole word: with -h among its short options,
    click would read a refused ``-…h…`` password argument as a request for help."""
    if argv[:1] != ["password"] or "-h" not in argv:
        return argv
    end = argv.index("--") if "--" in argv else len(argv)
    return [("--help" if i < end and a == "-h" else a) for i, a in enumerate(argv)]


def _make_streams_safe() -> None:
    """Never crash on a character the console cannot encode (cp1252, lone surrogates)."""
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
    # First thing: in a frozen build (PyInstaller, cx_Freeze) on Windows a batch worker is this
    # same executable started again, and freeze_support() turns it into the worker instead of
    # a second CLI (without it, a batch of 2,000+ rows starts processes forever). It does
    # nothing unless frozen, and importing multiprocessing costs every command ~15 ms.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    wanted = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in COMMANDS else None
    # Building the app reads the help catalog, before the options are parsed: --debug must
    # already count there (a traceback, not the last-resort sentence).
    Session.debug = Session.debug or "--debug" in sys.argv[1:]
    try:
        typer.main.get_command(build_app(wanted))(prog_name="sapkcheck")
    except Exception as error:
        if Session.debug:
            raise
        sys.stderr.write(
            NO_CATALOG.get(Session.lang, NO_CATALOG["id"]).format(error=type(error).__name__)
        )
        sys.exit(errors.UNUSABLE)
