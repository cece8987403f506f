"""``triage``: a pasted message or a WhatsApp export in, a diagnosis and a ready reply out."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from sapkcheck import errors
from sapkcheck.cli.options import (
    ColorOption,
    DebugOption,
    LangOption,
    ProfileOption,
    load_profile_option,
)
from sapkcheck.cli.session import from_argv, start_command
from sapkcheck.errors import UsageProblem, os_reason
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.render.console import ColorMode
from sapkcheck.render.formats import TriageFormat

if TYPE_CHECKING:
    from sapkcheck.knowledge.i18n import Catalog
    from sapkcheck.knowledge.profile import Profile
    from sapkcheck.render.triage import Hider, TriageWriter
    from sapkcheck.triage.run import Triage


def triage(
    text: Annotated[
        str | None,
        typer.Argument(
            show_default=False,
        ),
    ] = None,
    chat: Annotated[
        Path | None,
        typer.Option(
            "--chat",
            show_default=False,
        ),
    ] = None,
    admin: Annotated[
        list[str] | None,
        typer.Option(
            "--admin",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        TriageFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
        ),
    ] = TriageFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            show_default=False,
        ),
    ] = None,
    mask: Annotated[
        bool,
        typer.Option("--mask"),
    ] = False,
    profile: ProfileOption = None,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Diagnose what staff send: a pasted WhatsApp message, or a whole exported chat
    (one question per sender's run of messages), and write the reply to send back."""
    language = start_command(lang, debug)
    text = from_argv(text)
    if (text is None) == (chat is None):
        raise UsageProblem("error-triage-input")
    region = load_profile_option(profile)
    words = catalog(language)
    admins = [from_argv(name) or "" for name in admin or []]
    from sapkcheck.triage.run import (
        chat_senders,
        open_chat,
        text_senders,
        triage_file,
        triage_text,
    )

    if output is not None:  # before any work: a folder, a missing folder, no permission
        from sapkcheck.batch.output import check_target

        if chat is not None:
            _refuse_same_file(chat, output)
        check_target(output, "--output", chat)
    if chat is not None:
        with open_chat(chat) as stream:
            result = triage_file(stream, str(chat), admins, region.domains())
            senders = chat_senders(chat) if mask else ()
            if mask and not chat.is_file():  # a pipe: read once, no names read ahead
                sys.stderr.write(words.ui("triage-mask-pipe") + "\n")
            failed = _write(
                result, words, region, output_format, output, mask, color, True, senders
            )
    else:
        assert text is not None
        if text == "-":
            from sapkcheck.cli.prompts import read_all

            text = read_all()
        if not text.strip():
            raise UsageProblem("error-triage-empty")
        result = triage_text(text, admins, region.domains())
        senders = text_senders(text) if mask else ()
        failed = _write(result, words, region, output_format, output, mask, color, False, senders)
    raise typer.Exit(errors.PROBLEMS if failed else errors.OK)


def _refuse_same_file(chat: Path, output: Path) -> None:
    from sapkcheck.batch.output import same_file

    if same_file(chat, output):
        raise UsageProblem("error-triage-same-file", path=str(output))


def _write(
    result: Triage,
    words: Catalog,
    region: Profile,
    output_format: TriageFormat,
    output: Path | None,
    mask: bool,
    color: ColorMode,
    chat: bool,
    senders: Sequence[str] = (),
) -> bool:
    """Write every question; True when a check found an error in one of them. ``senders``:
    every sender of the chat, for ``--mask`` (read ahead: a name can be mentioned before
    its owner writes)."""
    from sapkcheck.render.context import profile_context
    from sapkcheck.render.triage import Hider

    context = profile_context(region, words)
    hider = Hider(words, senders, context.values()) if mask else None
    failed = False
    count = 0
    with _stream(output) as stream:
        writer = _writer(output_format, stream, words, context, hider, color)
        writer.start(result.layout, chat)
        for diagnosed in result.questions:
            writer.add(diagnosed)
            count += 1
            failed = failed or diagnosed.report.failed
        writer.close(count)
    return failed


def _writer(
    output_format: TriageFormat,
    stream: TextIO,
    words: Catalog,
    context: dict[str, str],
    hider: Hider | None,
    color: ColorMode,
) -> TriageWriter:
    from typing import assert_never

    from sapkcheck.render.triage import JsonTriageWriter, ReplyTriageWriter, TextTriageWriter

    match output_format:
        case TriageFormat.JSON:
            return JsonTriageWriter(stream, words, context, hider)
        case TriageFormat.REPLY:
            return ReplyTriageWriter(stream, words, context, hider)
        case TriageFormat.TEXT:
            from sapkcheck.render.console import make_console

            console = make_console(stream, color=color if stream is sys.stdout else ColorMode.NEVER)
            return TextTriageWriter(console, words, context, hider)
        case _:
            assert_never(output_format)


@contextlib.contextmanager
def _stream(output: Path | None) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
        return
    from sapkcheck.batch.output import atomic_text

    try:
        with atomic_text(output) as stream:
            yield stream
    except OSError as error:
        raise UsageProblem(
            "error-triage-unwritable", path=str(output), reason=os_reason(error)
        ) from None
