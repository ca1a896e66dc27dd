"""The email a notice becomes (pure): UTF-8 subject and body, a plain-text part and an HTML
alternative, a Message-ID derived from the notice id so that a redelivery is recognisably the
same message."""

from __future__ import annotations

import html
import re
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from procurement.notifications.channels.text import link_label, plain_text
from procurement.notifications.message import Notice

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def mail_address(raw: str) -> str | None:
    """The bare address in ``raw`` when it is one plausible address, else None."""
    if "\r" in raw or "\n" in raw or "," in raw:
        return None
    address = parseaddr(raw)[1]
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or domain.startswith(".") or " " in address:
        return None
    return address


def message_id(notice_id: str, sender: str) -> str:
    """``<notice.<id>@<sender's domain>>``; a random one when the notice has no id."""
    domain = (mail_address(sender) or "procurement.invalid").rpartition("@")[2]
    if not notice_id:
        return make_msgid(domain=domain)
    return f"<notice.{_ID_UNSAFE.sub('_', notice_id)}@{domain}>"


def _html(notice: Notice) -> str:
    lines = "".join(f"<p>{html.escape(line)}</p>" for line in notice.lines)
    link = ""
    if notice.link:
        href = html.escape(notice.link, quote=True)
        link = f'<p><a href="{href}">{html.escape(link_label(notice.language))}</a></p>'
    lang = html.escape(notice.language.value, quote=True)
    title = html.escape(notice.title)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h3>{title}</h3>{lines}{link}</body></html>"
    )


def build_email(notice: Notice, sender: str, recipient: str, sent_at: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = " ".join(notice.title.split())  # one line, whatever the title held
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = message_id(notice.notice_id, sender)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    message.set_content(plain_text(notice), charset="utf-8")
    message.add_alternative(_html(notice), subtype="html", charset="utf-8")
    message["Content-Language"] = notice.language.value  # after: set_content clears Content-*
    return message
