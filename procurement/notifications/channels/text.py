"""Text helpers shared by the channels (pure): byte-limited truncation and the few strings the
channels add to a notice, in both languages."""

from __future__ import annotations

from procurement.notifications.message import Language, Notice

ELLIPSIS = "…"

_LINK_LABEL = {Language.ZH_CN: "查看详情", Language.EN: "Open in the review service"}


def link_label(language: Language) -> str:
    return _LINK_LABEL[language]


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def truncate_utf8(text: str, max_bytes: int, marker: str = ELLIPSIS) -> str:
    """``text`` cut to at most ``max_bytes`` UTF-8 bytes, ending with ``marker`` when cut.

    The cut never splits a character: a multi-byte sequence left incomplete at the end is
    dropped whole (vendors reject, or show as mojibake, a half character)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    room = max_bytes - utf8_len(marker)
    if room <= 0:
        return marker.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
    return encoded[:room].decode("utf-8", errors="ignore") + marker


def plain_text(notice: Notice) -> str:
    """The notice as plain text: title, the lines, then the link."""
    parts = [notice.title, "", *notice.lines]
    if notice.link:
        parts += ["", f"{link_label(notice.language)}: {notice.link}"]
    return "\n".join(parts) + "\n"
