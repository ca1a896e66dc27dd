"""The email channel against a real SMTP server (aiosmtpd) on loopback that requires STARTTLS
with a certificate from a throwaway CA, and AUTH."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from procurement.notifications.channels import ChannelConfig, deliver
from procurement.notifications.channels.config import SmtpConfig
from procurement.notifications.message import ChannelKind, ChannelTarget, Notice
from tests.support.smtp_server import (
    PASSWORD,
    USERNAME,
    SmtpServer,
    free_port,
    plain_smtp_server,
    smtp_server,
)

SENDER = "采购审查 <review@example.cn>"
TO = ChannelTarget(ChannelKind.EMAIL, "张敏 <zhang.min@example.cn>")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SmtpServer]:
    with smtp_server(tmp_path) as running:
        yield running


def config_for(server: SmtpServer, **changes: object) -> ChannelConfig:
    smtp = SmtpConfig(
        host=server.host,
        port=server.port,
        sender=SENDER,
        username=USERNAME,
        password=PASSWORD,
        ca_file=str(server.ca_file),
    )
    fields = {
        "host": smtp.host,
        "port": smtp.port,
        "sender": smtp.sender,
        "username": smtp.username,
        "password": smtp.password,
        "starttls": smtp.starttls,
        "ca_file": smtp.ca_file,
        **changes,
    }
    return ChannelConfig(timeout_seconds=30.0, smtp=SmtpConfig(**fields))  # type: ignore[arg-type]


def received(server: SmtpServer) -> EmailMessage:
    [envelope] = server.mailbox.messages
    message = message_from_bytes(envelope.original_content or b"", policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


async def test_a_chinese_notice_arrives_intact_over_starttls_with_auth(
    server: SmtpServer, notice: Notice
) -> None:
    # when the notice is sent through the relay
    outcome = await deliver(TO, notice, config_for(server))
    # then the relay accepted it for the bare address, with subject and body in Chinese
    assert (outcome.delivered, outcome.retryable, outcome.status) == (True, False, 250)
    assert server.mailbox.messages[0].rcpt_tos == ["zhang.min@example.cn"]
    message = received(server)
    assert message["Subject"] == "审查期限临近:采购 P-2026-001"
    assert message["From"] == SENDER
    assert message["Message-ID"] == "<notice.ntc-42@example.cn>"
    assert message["Content-Language"] == "zh-CN"
    assert message["Auto-Submitted"] == "auto-generated"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().splitlines() == [  # lines end in CRLF on the wire
        "审查期限临近:采购 P-2026-001",
        "",
        "供应商:华安网络科技有限公司",
        "期限:2026-12-03(还有 3 个工作日)",
        "",
        "查看详情: https://review.example.cn/purchases/P-2026-001",
    ]
    assert plain.get_content_charset() == "utf-8"
    assert "<p>供应商:华安网络科技有限公司</p>" in html.get_content()


async def test_a_wrong_password_is_a_permanent_refusal(server: SmtpServer, notice: Notice) -> None:
    outcome = await deliver(TO, notice, config_for(server, password="wrong"))
    assert (outcome.delivered, outcome.retryable, outcome.status) == (False, False, 535)
    assert outcome.detail.startswith("SMTP login refused: 535 ")
    assert server.mailbox.messages == []


async def test_a_5xx_recipient_refusal_is_not_retried(server: SmtpServer, notice: Notice) -> None:
    server.mailbox.refuse_with = "550 5.1.1 no such user"
    outcome = await deliver(TO, notice, config_for(server))
    assert (outcome.delivered, outcome.retryable, outcome.status) == (False, False, 550)
    assert outcome.detail == "SMTP recipient refused: 550 5.1.1 no such user (refused)"


async def test_a_4xx_recipient_refusal_is_retried(server: SmtpServer, notice: Notice) -> None:
    server.mailbox.refuse_with = "451 4.3.0 mailbox busy, try later"
    outcome = await deliver(TO, notice, config_for(server))
    assert (outcome.delivered, outcome.retryable, outcome.status) == (False, True, 451)


async def test_a_certificate_from_an_unknown_ca_is_refused(
    server: SmtpServer, notice: Notice
) -> None:
    # given the system trust store only, which does not know the throwaway CA
    outcome = await deliver(TO, notice, config_for(server, ca_file=None))
    assert (outcome.delivered, outcome.retryable) == (False, False)
    assert outcome.detail.startswith("SMTP server 127.0.0.1: certificate not trusted")
    assert server.mailbox.messages == []


async def test_a_relay_that_is_down_is_retryable(notice: Notice, tmp_path: Path) -> None:
    smtp = SmtpConfig(host="127.0.0.1", port=free_port(), sender=SENDER)
    outcome = await deliver(TO, notice, ChannelConfig(timeout_seconds=30.0, smtp=smtp))
    assert (outcome.delivered, outcome.retryable, outcome.status) == (False, True, None)
    assert outcome.detail.startswith(f"SMTP server 127.0.0.1:{smtp.port} unreachable")


async def test_email_without_configuration_or_with_a_bad_address_is_refused(notice: Notice) -> None:
    unconfigured = await deliver(TO, notice, ChannelConfig())
    assert (unconfigured.delivered, unconfigured.retryable) == (False, False)
    assert unconfigured.detail == "email is not configured (PROCUREMENT_SMTP_HOST)"
    smtp = SmtpConfig(host="127.0.0.1", port=9, sender=SENDER)
    for address in ("not-an-address", "a@b.cn, c@d.cn", "x@y.cn\r\nBcc: z@w.cn"):
        target = ChannelTarget(ChannelKind.EMAIL, address)
        outcome = await deliver(target, notice, ChannelConfig(smtp=smtp))
        assert (outcome.delivered, outcome.retryable, outcome.detail) == (
            False,
            False,
            "the email address is not valid",
        )


async def test_a_relay_without_starttls_is_refused_when_starttls_is_required(
    notice: Notice,
) -> None:
    with plain_smtp_server() as relay:
        smtp = SmtpConfig(host=relay.host, port=relay.port, sender=SENDER)
        outcome = await deliver(TO, notice, ChannelConfig(timeout_seconds=30.0, smtp=smtp))
        assert (outcome.delivered, outcome.retryable) == (False, False)
        assert outcome.detail == "SMTP server 127.0.0.1 does not offer STARTTLS, which is required"
        assert relay.mailbox.messages == []


async def test_with_starttls_off_a_plain_relay_delivers(notice: Notice) -> None:
    with plain_smtp_server() as relay:
        smtp = SmtpConfig(host=relay.host, port=relay.port, sender=SENDER, starttls=False)
        outcome = await deliver(TO, notice, ChannelConfig(timeout_seconds=30.0, smtp=smtp))
        assert outcome.delivered
        assert received(relay)["Subject"] == "审查期限临近:采购 P-2026-001"
