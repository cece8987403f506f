"""``sapkcheck faq``: list the FAQ, show one entry, or rank entries for a pasted message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from sapkcheck.knowledge.i18n import Catalog, Lang
from sapkcheck.knowledge.profile import Profile
from sapkcheck.render.console import print_indented
from sapkcheck.render.json_out import SCHEMA_VERSION

if TYPE_CHECKING:
    from sapkcheck.knowledge.faq import FaqEntry

Match = tuple["FaqEntry", float | None]
RECOGNIZED_SCORE = 70.0
MAX_QUERY_CHARS = 500  # a pasted screen, not a novel: keeps fuzzy matching fast
_OTHERS_SHOWN = 3


def lookup(query: str | None, lang: Lang) -> list[Match]:
    """All entries (no query), the one entry with that id, or entries ranked for a message."""
    from sapkcheck.knowledge.faq import load_faq, search

    entries = load_faq()
    if query is None:
        return [(entry, None) for entry in entries]
    wanted = query.strip().lower()
    for entry in entries:
        if entry.id == wanted:
            return [(entry, 100.0)]
    from sapkcheck.knowledge.recognize import recognize

    ranked: list[Match] = [(entry, score) for entry, score in search(query[:MAX_QUERY_CHARS], lang)]
    recognized = recognize(query).entry
    if recognized is None:
        return ranked
    # What check --message and triage recognize comes first, whatever its fuzzy score.
    first = [(entry, 100.0) for entry, _ in ranked if entry.id == recognized]
    return first + [(entry, score) for entry, score in ranked if entry.id != recognized]


def faq_document(query: str | None, matches: list[Match], lang: Lang) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "query": query,
        "entries": [
            {
                "id": entry.id,
                "number": entry.number,
                "title": entry.text(lang).title,
                "score": score,
            }
            for entry, score in matches
        ],
    }


def render_entry(entry: FaqEntry, text: Catalog, profile: Profile, console: Console) -> None:
    from sapkcheck.render.context import profile_context

    context = profile_context(profile, text)
    filled = entry.text(text.lang, context)
    heading = Text(filled.title, "bold")
    heading.append(f"  ({entry.id}" + (f", FAQ {entry.number})" if entry.number else ")"), "dim")
    console.print(heading)
    for number, step in enumerate(filled.steps, start=1):
        print_indented(console, Text(f"{number}. {step}"), 2)
    for url, label in filled.links:
        line = Text(f"{label}: ")
        line.append(url, "underline")
        print_indented(console, line, 2)
    if context["profile_note"]:
        print_indented(console, Text(context["profile_note"], "dim"), 2)


def render_faq(
    query: str | None,
    matches: list[Match],
    lang: Lang,
    profile: Profile,
    text: Catalog,
    console: Console,
) -> None:
    if query is None:
        console.print(Text(text.ui("faq-list-title"), "bold"))
        width = max(len(entry.id) for entry, _ in matches)
        for entry, _ in matches:
            line = Text("  " + entry.id.ljust(width), "bold")
            number = f"{entry.number:>2}" if entry.number else "  "
            line.append(f"  {number}  ", "dim")
            line.append(entry.text(lang).title)
            console.print(line)
        return
    best = [(entry, score) for entry, score in matches if (score or 0) >= RECOGNIZED_SCORE]
    if not best:
        console.print(Text(text.ui("faq-no-match"), "yellow"))
    else:
        render_entry(best[0][0], text, profile, console)
    others = [m for m in matches if not best or m[0] is not best[0][0]][:_OTHERS_SHOWN]
    if others:
        if best:
            console.print()
            console.print(Text(text.ui("faq-others"), "dim"))
        for entry, score in others:
            similar = text.ui("faq-similarity", percent=text.percent(score or 0))
            console.print(Text(f"  {entry.id} ({similar}): {entry.text(lang).title}", "dim"))
