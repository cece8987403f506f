"""Indonesian as office workers read it: no translation words, numbers written the
Indonesian way, and file problems explained in the chosen language (never the operating
system's English)."""

from __future__ import annotations

import errno
import re

import pytest

from sapkcheck.errors import os_reason
from sapkcheck.findings import CODES
from sapkcheck.knowledge.i18n import catalog

# Words that read like a translation (issue 12): each with what to say instead.
AWKWARD = {
    r"\bgalat\b": "kesalahan",
    r"karakter kosong": "spasi / karakter tak terlihat",
    r"kurung siku": "tanda < > (kurung siku is [ ])",
    r"huruf kembar": "huruf asing yang mirip",
    r"pembungkus|terbungkus": "tanda lain yang terbawa",
    r"mirip salah ketik": "kemungkinan salah ketik",
    r"\bmerespon\b": "merespons (KBBI)",
    r"\bvs\.?\b": "Anda mengetik …, yang terdaftar …",
}


def indonesian_sentences() -> list[str]:
    text = catalog("id")
    sentences = [text.ui(key) for key in sorted(text.ui_keys)]
    for code in CODES:
        entry = text.code(code)
        sentences += [entry.title, entry.why, entry.message, entry.remedy]
        sentences += list(entry.details.values())
    return sentences


@pytest.mark.parametrize("pattern", sorted(AWKWARD))
def test_no_translation_words_in_indonesian(pattern: str) -> None:
    found = [s for s in indonesian_sentences() if re.search(pattern, s, re.IGNORECASE)]
    assert not found, f"say '{AWKWARD[pattern]}' instead: {found}"


def test_the_word_list_can_fail() -> None:
    assert re.search(r"\bgalat\b", "2 galat, 0 peringatan")


@pytest.mark.parametrize(
    ("lang", "value", "decimals", "expected"),
    [
        ("id", 1234, 0, "1.234"),
        ("en", 1234, 0, "1,234"),
        ("id", 1234567.5, 1, "1.234.567,5"),
        ("en", 1234567.5, 1, "1,234,567.5"),
        ("id", 7, 0, "7"),
    ],
)
def test_numbers_in_the_language_style(
    lang: str, value: float, decimals: int, expected: str
) -> None:
    assert catalog(lang).number(value, decimals) == expected  # type: ignore[arg-type]


def test_percentages_in_the_language_style() -> None:
    assert catalog("id").percent(12.5, 1) == "12,5 %"
    assert catalog("en").percent(12.5, 1) == "12.5%"


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permission"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "not-found"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "directory"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk-full"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only"),
        (OSError(errno.EIO, "Input/output error"), "io"),
        (OSError("no errno at all"), "io"),
    ],
)
def test_os_errors_become_reason_keys(error: OSError, key: str) -> None:
    assert os_reason(error) == key
    for lang in ("id", "en"):
        assert catalog(lang).has_ui(f"reason-{key}")  # type: ignore[arg-type]


def test_every_reason_key_of_the_code_has_words() -> None:
    """The reasons table problems carry (batch/tables/model.py) all have catalog words."""
    reasons = {"permission", "directory", "io", "damaged", "encoding", "csv", "extension"}
    reasons |= {"directory-missing", "character", "not-found", "disk-full", "read-only"}
    for lang in ("id", "en"):
        missing = [r for r in sorted(reasons) if not catalog(lang).has_ui(f"reason-{r}")]  # type: ignore[arg-type]
        assert not missing, (lang, missing)


def test_no_address_is_followed_by_a_sentences_period() -> None:
    """``Masukkan alamatnya saja: eli@gmail.com.``: a period after an address reads as
    part of it, the very debris a finding told the user to remove."""
    import re
    from pathlib import Path

    import sapkcheck

    address = re.compile(r"\{(typed|registered|suggestion|email|address|hint|cleaned)\}\.")
    catalogs = Path(sapkcheck.__file__).parent / "catalog"
    offending = [
        f"{path.parent.name}/{path.name}:{number}"
        for path in sorted(catalogs.glob("*/*.toml"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if address.search(line)
    ]
    assert offending == []
