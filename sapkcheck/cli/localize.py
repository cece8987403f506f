"""The command line in the chosen language: help screens whose texts come from the
catalogs (``help.toml``, read only when help is shown) and click's usage errors worded by
the catalog instead of click's English.

The language is known before parsing: ``--lang`` in argv, else ``SAPKCHECK_LANG``
(``argv_lang``); the group's ``main`` sets it for the session, the commands read it when
they format help or a usage line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sapkcheck.cli.session import Session
from sapkcheck.knowledge.i18n import (
    DEFAULT_LANG,
    Lang,
    UnknownLanguage,
    catalog,
    fill,
    resolve_lang,
)
from sapkcheck.limits import MAX_JOBS
from sapkcheck.render.console import visible_text

if TYPE_CHECKING:
    from typer import _click as click

    from sapkcheck.knowledge.i18n import Catalog

HELP_OPTION_NAMES = ["-h", "--help"]
# Limits a help text names ({max_jobs}): from their one home, never copied into the catalog.
_HELP_VALUES = {"max_jobs": MAX_JOBS}


def argv_lang(args: Sequence[str]) -> Lang:
    """The language the command line asks for; Indonesian when it names an unknown one
    (the command then refuses it, in both languages)."""
    value: str | None = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
    try:
        return resolve_lang(value)
    except UnknownLanguage:
        return DEFAULT_LANG


class LocalizedMixin:
    """For the group and every command: help and usage in ``Session.lang``."""

    name: str | None

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        localize_help(self, catalog(Session.lang))  # type: ignore[arg-type]
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = catalog(Session.lang)
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=text.ui("usage-prefix"))

    def get_help_option(self, ctx: click.Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = catalog(Session.lang).ui("help-option")
        return option


def localize_help(command: click.Command, text: Catalog) -> None:
    """Put the catalog's texts on ``command`` (and, for the group, on its commands' short
    help) and the help screen's own words on typer's rich formatter."""
    from typer import rich_utils

    rich_utils.OPTIONS_PANEL_TITLE = text.help("panel-options")
    rich_utils.ARGUMENTS_PANEL_TITLE = text.help("panel-arguments")
    rich_utils.COMMANDS_PANEL_TITLE = text.help("panel-commands")
    rich_utils.DEFAULT_STRING = text.help("default")
    rich_utils.ENVVAR_STRING = text.help("envvar")
    rich_utils.REQUIRED_LONG_STRING = text.help("required")
    _localize_one(command, text)
    for sub in getattr(command, "commands", {}).values():
        _localize_one(sub, text)


def _localize_one(command: click.Command, text: Catalog) -> None:
    name = command.name or "sapkcheck"
    command.help = text.command_help(name) or command.help
    command.short_help = None
    command.epilog = text.help("epilog")
    command.options_metavar = text.ui("usage-options")
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = text.ui("usage-subcommand")
    for param in command.params:
        wording = text.option_help(name, param.name or "")
        if wording is not None:
            param.help = fill(wording, _HELP_VALUES)  # type: ignore[attr-defined]


def localize_usage(command: click.Command) -> None:
    """The usage line's words ([OPSI], PERINTAH ...) for an error message."""
    text = catalog(Session.lang)
    command.options_metavar = text.ui("usage-options")
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = text.ui("usage-subcommand")


_CHOICE = re.compile(r"'(.*?)' is not one of (.*?)\.?$")
_NO_SUCH_COMMAND = re.compile(r"No such command '([^']*)'")
_DID_YOU_MEAN = re.compile(r"Did you mean '([^']*)'")
_EXTRA = re.compile(r"unexpected extra argument", re.IGNORECASE)


def _hint(param: click.Parameter | None) -> str:
    if param is None:
        return "?"
    opts = [opt for opt in param.opts if opt.startswith("--")] or list(param.opts)
    return opts[0] if opts and opts[0].startswith("-") else (param.name or "?").upper()


def usage_message(error: click.ClickException, text: Catalog) -> str:
    """Click's usage error in the catalog's words."""
    from typer._click import exceptions as ex

    detail = error.message
    if isinstance(error, ex.NoSuchOption):
        message = text.ui("usage-no-such-option", option=error.option_name)
        if error.possibilities:
            options = ", ".join(sorted(error.possibilities))
            message += " " + text.ui("usage-did-you-mean", options=options)
        return message
    if isinstance(error, ex.BadOptionUsage):
        key = "usage-takes-no-value" if "does not take" in detail else "usage-needs-value"
        return text.ui(key, option=error.option_name)
    if isinstance(error, ex.MissingParameter):
        return text.ui("usage-missing", option=_hint(error.param))
    if isinstance(error, ex.BadParameter):
        if found := _CHOICE.search(detail):
            listed = found.group(2).replace("'", "")
            option = _hint(error.param)
            return text.ui("usage-bad-choice", value=found.group(1), option=option, choices=listed)
        return text.ui("usage-bad-value", option=_hint(error.param), detail=detail)
    ctx = getattr(error, "ctx", None)
    commands = ", ".join(getattr(ctx.command, "commands", {}) if ctx is not None else ())
    if found := _NO_SUCH_COMMAND.search(detail):
        suggested = _DID_YOU_MEAN.search(detail)
        word = found.group(1)
        if suggested is not None and _COMMAND_TYPO.fullmatch(word):
            message = text.ui("usage-no-such-command", command=word, commands=commands)
        else:  # maybe a password pasted in the wrong place ("Password123" is near "password")
            message = text.ui("usage-unknown-command", commands=commands)
        if suggested is not None:
            message += " " + text.ui("usage-did-you-mean", options=suggested.group(1))
        return message
    if detail.startswith("Missing command"):
        return text.ui("usage-missing-command", commands=commands)
    if _EXTRA.search(detail):
        # never repeated: a password typed after "check --nip 1" would be shown
        return text.ui("usage-extra-arguments")
    return text.ui("usage-other", detail=detail)


# A word repeated back as a mistyped command: letters only, as long as a command or so.
_COMMAND_TYPO = re.compile(r"[A-Za-z]{1,10}")


def show_usage_error(error: click.ClickException) -> None:
    """Usage line, where to get help, and the error: on stderr, in the session's language."""
    text = catalog(Session.lang)
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        localize_usage(ctx.command)
        sys.stderr.write(ctx.command.get_usage(ctx) + "\n")
        sys.stderr.write(text.ui("usage-try-help", command=ctx.command_path) + "\n")
    message = visible_text(usage_message(error, text))  # an argument may hold escapes
    sys.stderr.write(f"sapkcheck: {text.ui('error-prefix')}: {message}\n")
