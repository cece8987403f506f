"""One interface for every single-document output, and the one dispatch on its format.

A command builds an ``Output`` (what to show) and calls ``emit``; which renderer runs is
decided here only. Each output imports its renderer when called, so a JSON run never loads
rich and a text run never loads the JSON shapes (start-up time). The outputs are plain
classes, not dataclasses: creating a frozen dataclass costs ~0.4 ms at import, and this
module is imported by every command.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, assert_never

from sapkcheck.render.console import ColorMode, as_rich
from sapkcheck.render.formats import OutputFormat

if TYPE_CHECKING:
    from sapkcheck.diagnosis import CheckReport, PasswordReport
    from sapkcheck.knowledge.i18n import Catalog
    from sapkcheck.knowledge.profile import Profile
    from sapkcheck.render.console import Screen
    from sapkcheck.render.faq_out import Match


class Output(Protocol):
    def document(self) -> dict[str, Any]: ...
    def render(self, screen: Screen) -> None: ...


def emit(output: Output, output_format: OutputFormat, color: ColorMode) -> None:
    match output_format:
        case OutputFormat.JSON:
            from sapkcheck.render.json_out import write_json

            write_json(output.document())
        case OutputFormat.TEXT:
            from sapkcheck.render.console import make_screen

            output.render(make_screen(color=color))
        case _:
            assert_never(output_format)


class CheckOutput:
    __slots__ = ("brief", "profile", "report", "text")

    def __init__(
        self, report: CheckReport, text: Catalog, profile: Profile, brief: bool = False
    ) -> None:
        self.report = report
        self.text = text
        self.profile = profile
        self.brief = brief  # text only: JSON always has everything

    def document(self) -> dict[str, Any]:
        from sapkcheck.render.json_out import check_document

        return check_document(self.report, self.text, self._context())

    def render(self, screen: Screen) -> None:
        if self.brief:
            from sapkcheck.render.text import render_brief

            render_brief(self.report, self.text, self._context(), screen)
            return
        from sapkcheck.render.text import render_check

        render_check(self.report, self.text, self._context(), screen)

    def _context(self) -> dict[str, str]:
        from sapkcheck.render.context import profile_context

        return profile_context(self.profile, self.text)


class PasswordOutput:
    __slots__ = ("profile", "report", "text")

    def __init__(self, report: PasswordReport, text: Catalog, profile: Profile) -> None:
        self.report = report
        self.text = text
        self.profile = profile

    def document(self) -> dict[str, Any]:
        from sapkcheck.render.password_out import password_document

        return password_document(self.report, self.text, self._context())

    def render(self, screen: Screen) -> None:
        from sapkcheck.render.password_out import render_password

        render_password(self.report, self.text, self._context(), as_rich(screen))

    def _context(self) -> dict[str, str]:
        """The profile's values, with the password rule actually checked."""
        from sapkcheck.render.context import profile_context

        return profile_context(self.profile, self.text, self.report.policy)


class ExplainOutput:
    __slots__ = ("codes", "listing", "text")

    def __init__(self, codes: Sequence[str], text: Catalog, listing: bool) -> None:
        self.codes = codes
        self.text = text
        self.listing = listing

    def document(self) -> dict[str, Any]:
        from sapkcheck.render.explain import explain_document

        return explain_document(self.codes, self.text)

    def render(self, screen: Screen) -> None:
        from sapkcheck.render.explain import render_explain

        render_explain(self.codes, self.text, screen, listing=self.listing)


class FaqOutput:
    __slots__ = ("matches", "profile", "query", "text")

    def __init__(
        self, query: str | None, matches: list[Match], profile: Profile, text: Catalog
    ) -> None:
        self.query = query
        self.matches = matches
        self.profile = profile
        self.text = text

    def document(self) -> dict[str, Any]:
        from sapkcheck.render.faq_out import faq_document

        return faq_document(self.query, self.matches, self.text.lang)

    def render(self, screen: Screen) -> None:
        from sapkcheck.render.faq_out import render_faq

        render_faq(
            self.query, self.matches, self.text.lang, self.profile, self.text, as_rich(screen)
        )


class ProfileOutput:
    __slots__ = ("profile", "text")

    def __init__(self, profile: Profile, text: Catalog) -> None:
        self.profile = profile
        self.text = text

    def document(self) -> dict[str, Any]:
        from sapkcheck.render.profile_out import profile_document

        return profile_document(self.profile, self.text)

    def render(self, screen: Screen) -> None:
        from sapkcheck.render.profile_out import render_profile

        render_profile(self.profile, self.text, as_rich(screen))
