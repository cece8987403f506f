"""Every code has its sentences in both languages, and the two agree on placeholders."""

from __future__ import annotations

import pytest

from sapkcheck.findings import CODES
from sapkcheck.knowledge.i18n import LANGS, catalog, placeholders

PARTS = ("title", "why", "message", "remedy")


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_has_every_part(lang: str) -> None:
    text = catalog(lang)  # type: ignore[arg-type]
    missing = sorted(set(CODES) - text.codes)
    assert not missing, f"{lang}: no catalog entry for {missing}"
    unknown = sorted(text.codes - set(CODES))
    assert not unknown, f"{lang}: catalog entries for unknown codes {unknown}"
    for code in CODES:
        entry = text.code(code)
        for part in PARTS:
            assert getattr(entry, part).strip(), f"{lang}: {code}.{part} is empty"


@pytest.mark.parametrize("code", sorted(CODES))
def test_languages_agree_on_placeholders(code: str) -> None:
    id_text, en_text = catalog("id").code(code), catalog("en").code(code)
    for part in PARTS:
        assert placeholders(getattr(id_text, part)) == placeholders(getattr(en_text, part)), (
            f"{code}.{part}"
        )
    assert set(id_text.details) == set(en_text.details), f"{code}: detail variants differ"
    for detail, template in id_text.details.items():
        assert placeholders(template) == placeholders(en_text.details[detail]), (
            f"{code}.details.{detail}"
        )


def test_ui_keys_agree() -> None:
    id_text, en_text = catalog("id"), catalog("en")
    assert id_text.ui_keys == en_text.ui_keys
    for key in id_text.ui_keys:
        assert placeholders(id_text._ui[key]) == placeholders(en_text._ui[key]), key


def test_title_and_why_take_no_parameters() -> None:
    for lang in LANGS:
        for code in CODES:
            entry = catalog(lang).code(code)
            assert not placeholders(entry.title), code
            assert not placeholders(entry.why), code


def test_every_finding_parameter_is_classified_personal_or_not() -> None:
    """``--mask`` hides the parameters that quote user input; a new parameter must be
    classified in the registry before it can be shown."""
    from sapkcheck.findings import CODES, NON_PERSONAL_PARAMS, PERSONAL_PARAMS
    from sapkcheck.knowledge.i18n import catalog, placeholders

    assert not PERSONAL_PARAMS & NON_PERSONAL_PARAMS
    used: set[str] = set()
    for lang in ("id", "en"):
        for code in CODES:
            text = catalog(lang).code(code)
            for template in (text.message, text.remedy, *text.details.values()):
                used |= placeholders(template)
    assert used - PERSONAL_PARAMS - NON_PERSONAL_PARAMS == set()
