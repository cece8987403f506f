"""WhatsApp's own words inside an exported message: media placeholders, deleted-message
notes, the edit marker, iOS system notices. They are not what the sender typed, so a
question must not be built from them (nor an email's trailing space read from them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "media", "deleted", "system"]

LRM = "\u200e"
"""LEFT-TO-RIGHT MARK: iOS puts it before attachments, system text and some headers."""

_MEDIA = re.compile(
    r"<?(?:media|image|video|audio|sticker|gif|document|contact card|photo|voice message"
    r"|view once message|gambar|foto|stiker|dokumen|kartu kontak|pesan suara"
    r"|pesan sekali lihat)"
    r" (?:omitted|tidak disertakan|dihilangkan)>?"
    r"|<(?:attached|terlampir|lampiran): [^>\n]*>"
    r"|[^\n]{1,200}\.\w{2,5} \((?:file attached|file terlampir)\)"
    r"|null",
    re.IGNORECASE,
)
_DELETED = re.compile(
    r"(?:pesan ini (?:telah )?dihapus(?: oleh admin[^\n]*)?|anda menghapus pesan ini"
    r"|this message was deleted(?: by (?:admin|[^\n]{1,100}))?|you deleted this message)\.?",
    re.IGNORECASE,
)
_EDITED = ("<pesan ini diedit>", "<this message was edited>")
_ENCRYPTION = re.compile(
    r"(?:pesan dan panggilan (?:dienkripsi|terenkripsi)|messages and calls are end-to-end)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Marked:
    """A message's kind and the text the sender wrote. ``attachment``: media with a
    caption (kind "text", the caption as text); ``edited``: the edit marker was removed."""

    kind: Kind
    text: str
    edited: bool = False
    attachment: bool = False


def classify(text: str, *, ios: bool) -> Marked:
    """Read the markers of one message's text (``ios``: the export came from an iPhone)."""
    text, edited = _strip_edited(text)
    marked = text.startswith(LRM)
    text = text.lstrip(LRM)
    first, _, caption = text.partition("\n")
    if _MEDIA.fullmatch(first.strip().strip(LRM)):
        if caption.strip():
            return Marked("text", caption, edited, attachment=True)
        return Marked("media", text, edited)
    if _DELETED.fullmatch(text.strip()):
        return Marked("deleted", text, edited)
    if (marked and ios) or _ENCRYPTION.match(text):
        # iOS marks system text attributed to the group ("Grup: ‎Budi added Sari").
        return Marked("system", text, edited)
    return Marked("text", text, edited)


def _strip_edited(text: str) -> tuple[str, bool]:
    """Remove a trailing edit marker with the one space (and the marks iOS adds) WhatsApp
    put before it; the sender's own trailing spaces stay."""
    tail = text[-len(_EDITED[1]) :].lower()
    for marker in _EDITED:
        if tail.endswith(marker):
            body = text[: -len(marker)]
            body = body[:-1] if body.endswith(LRM) else body
            body = body[:-1] if body.endswith(" ") else body
            return (body[:-1] if body.endswith(LRM) else body), True
    return text, False
