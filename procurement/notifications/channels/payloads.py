"""What each channel sends, built from a notice (pure: no I/O, no clock).

Limits (checked against each vendor's documentation, see README "Notifications"):
- WeCom group robot: markdown ``content`` at most 4096 UTF-8 bytes (longer: errcode 40058);
- DingTalk custom robot: markdown ``text`` kept under 20000 UTF-8 bytes (longer is refused);
- Feishu custom bot: the whole request body at most 20 KB (longer: code 9499 "Bad Request").
Text over a limit is cut at a character boundary and ends with "…".
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import orjson

from procurement.notifications.channels.text import link_label, truncate_utf8, utf8_len
from procurement.notifications.message import Language, Notice

WECOM_MARKDOWN_MAX_BYTES = 4096
DINGTALK_TEXT_MAX_BYTES = 20000
TITLE_MAX_BYTES = 256  # a title is one line: longer ones are cut in every channel
FEISHU_BODY_MAX_BYTES = 20 * 1024


def dumps(payload: Any) -> bytes:
    """Compact UTF-8 JSON (Chinese kept as is, not escaped): the bytes that are sent and signed."""
    return orjson.dumps(payload)


def webhook_body(notice: Notice) -> bytes:
    """The generic webhook's JSON body; keys are stable API for receivers."""
    occurred = notice.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return dumps(
        {
            "id": notice.notice_id,
            "kind": notice.kind,
            "language": notice.language.value,
            "title": notice.title,
            "lines": list(notice.lines),
            "link": notice.link,
            "occurredAt": occurred,
            "facts": dict(notice.facts),
        }
    )


def _markdown(head: str, notice: Notice, line_break: str, max_bytes: int) -> str:
    """The heading, the lines, the link last: the lines are cut first so the link survives."""
    tail = f"[{link_label(notice.language)}]({notice.link})" if notice.link else ""
    fixed = utf8_len(head) + utf8_len(tail) + 2 * utf8_len(line_break)
    body = truncate_utf8(line_break.join(notice.lines), max(max_bytes - fixed, 0))
    text = line_break.join(part for part in (head, body, tail) if part)
    return truncate_utf8(text, max_bytes)  # only when the heading and link alone are too long


def _title(notice: Notice) -> str:
    return truncate_utf8(notice.title, TITLE_MAX_BYTES)


def wecom_payload(notice: Notice) -> dict[str, Any]:
    """企业微信 group robot markdown message."""
    content = _markdown(f"**{_title(notice)}**", notice, "\n", WECOM_MARKDOWN_MAX_BYTES)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(notice: Notice) -> dict[str, Any]:
    """钉钉 custom robot markdown message (paragraphs need a blank line between them)."""
    return {
        "msgtype": "markdown",
        "markdown": {
            "title": _title(notice),  # shown in the conversation list
            "text": _markdown(f"### {_title(notice)}", notice, "\n\n", DINGTALK_TEXT_MAX_BYTES),
        },
    }


def _feishu_post(notice: Notice, lines: list[str]) -> dict[str, Any]:
    rows: list[list[dict[str, str]]] = [[{"tag": "text", "text": line}] for line in lines]
    if notice.link:
        rows.append([{"tag": "a", "text": link_label(notice.language), "href": notice.link}])
    locale = "zh_cn" if notice.language is Language.ZH_CN else "en_us"
    post = {locale: {"title": _title(notice), "content": rows}}
    return {"msg_type": "post", "content": {"post": post}}


def feishu_payload(
    notice: Notice, timestamp_s: int | None = None, sign: str | None = None
) -> dict[str, Any]:
    """飞书 custom bot rich-text (post) message, signed when ``sign`` is given; the lines are
    shortened until the whole body fits the 20 KB limit."""
    lines = list(notice.lines)
    while True:
        payload = _feishu_post(notice, lines)
        if sign is not None and timestamp_s is not None:
            payload = {"timestamp": str(timestamp_s), "sign": sign, **payload}
        excess = len(dumps(payload)) - FEISHU_BODY_MAX_BYTES
        joined = "\n".join(lines)
        if excess <= 0 or not joined:  # fits, or only a (capped) title and the link are left
            return payload
        # JSON escapes make some text longer on the wire than in UTF-8: cut, then measure again.
        lines = [truncate_utf8(joined, max(utf8_len(joined) - excess, 0))]
