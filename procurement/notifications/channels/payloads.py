"""What each channel sends, built from a notice (pure: no I/O, no clock).

Limits (see README "Notifications"):
- WeCom group robot: markdown ``content`` at most 4096 UTF-8 bytes, as documented (longer:
  errcode 40058 "markdown.content exceed max length 4096");
- DingTalk custom robot: its pages found here state no byte limit for markdown; ``text`` is kept
  to 20000 UTF-8 bytes, the size its "message too long" refusals are reported at (460101);
- Feishu custom bot: the whole request body at most 20 KB, as documented (longer: code 9499).
Text over a limit is cut at a character boundary and ends with "…".
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import orjson

from procurement.notifications.channels.text import ELLIPSIS, link_label, truncate_utf8, utf8_len
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
    """飞书 custom bot rich-text (post) message, signed when ``sign`` is given. Over the 20 KB
    body limit, the lines get the largest UTF-8 budget whose body fits (a binary search: JSON
    escapes make some text longer on the wire than in UTF-8, so the budget is measured, not
    computed); the title (capped) and the link always stay."""

    def build(lines: list[str]) -> dict[str, Any]:
        payload = _feishu_post(notice, lines)
        if sign is not None and timestamp_s is not None:
            payload = {"timestamp": str(timestamp_s), "sign": sign, **payload}
        return payload

    def fits(budget: int) -> bool:
        return len(dumps(build(_within(notice.lines, budget)))) <= FEISHU_BODY_MAX_BYTES

    total = sum(utf8_len(line) for line in notice.lines)
    if fits(total):
        return build(list(notice.lines))
    if not fits(0):  # the title and link alone are over: send them without lines
        return build([])
    low, high = 0, total  # invariant: fits(low) and not fits(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return build(_within(notice.lines, low))


def _within(lines: tuple[str, ...], budget: int) -> list[str]:
    """The first lines that fit ``budget`` UTF-8 bytes, the line that crosses it cut and ending
    with "…" (which may take the total 3 bytes over: the caller measures the body anyway)."""
    kept: list[str] = []
    left = budget
    for line in lines:
        if utf8_len(line) <= left:
            kept.append(line)
            left -= utf8_len(line)
            continue
        kept.append(truncate_utf8(line, max(left, utf8_len(ELLIPSIS))))
        break
    return kept
