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
from typer.core import TyperGroup

from sapkcheck import __version__, errors
from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import (
    catalog,
)

if TYPE_CHECKING:
    pass


from sapkcheck.cli.session import Session, fail


class SapkcheckGroup(TyperGroup):
    """Adds the exit-code contract: usage problems and internal failures exit 2 with one
    sentence on stderr (a traceback only with --debug); Ctrl-C exits 130."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # typer would exit 130 silently; say why the prompt is back.
            sys.stderr.write(f"\n{catalog(Session.lang).ui('error-interrupted')}\n")
            raise typer.Exit(errors.INTERRUPTED) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _make_streams_safe()
        try:
            return super().main(*args, **kwargs)
        except UsageProblem as problem:
            fail(problem.key, **problem.params)
        except KeyboardInterrupt:
            sys.stderr.write(f"\n{catalog(Session.lang).ui('error-interrupted')}\n")
            sys.exit(errors.INTERRUPTED)
        except Exception as error:
            if Session.debug:
                raise
            fail("error-internal", error=type(error).__name__)


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
    try:
        typer.main.get_command(build_app(wanted))(prog_name="sapkcheck")
    except Exception as error:
        if Session.debug:
            raise
        sys.stderr.write(
            NO_CATALOG.get(Session.lang, NO_CATALOG["id"]).format(error=type(error).__name__)
        )
        sys.exit(errors.UNUSABLE)
