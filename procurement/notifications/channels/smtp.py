"""The email transport: one SMTP conversation per notice, over STARTTLS.

aiosmtplib rather than smtplib in a worker thread: it speaks asyncio natively (no thread held
for a slow relay, the timeout cancels cleanly), upgrades with STARTTLS using our SSL context, and
raises its errors with the SMTP reply code, which is what decides retrying: 5xx is permanent,
4xx and a failed connection are worth another try."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime

import aiosmtplib

from procurement.notifications.channels.config import ChannelConfig, SmtpConfig
from procurement.notifications.channels.mail import build_email, mail_address
from procurement.notifications.message import ChannelTarget, DeliveryOutcome, Notice


def _tls_context(smtp: SmtpConfig) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=smtp.ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _reply_outcome(code: int, text: str, what: str) -> DeliveryOutcome:
    retryable = not 500 <= code < 600
    verdict = "will retry" if retryable else "refused"
    detail = f"SMTP {what}: {code} {text.strip()[:200]} ({verdict})"
    return DeliveryOutcome(False, retryable, detail, code)


def _starttls_missing(error: BaseException) -> bool:
    # aiosmtplib raises a bare SMTPException for this one; only its text tells it apart.
    return type(error) is aiosmtplib.SMTPException and "STARTTLS" in str(error)


async def deliver_email(
    target: ChannelTarget, notice: Notice, config: ChannelConfig
) -> DeliveryOutcome:
    smtp = config.smtp
    if smtp is None:
        return DeliveryOutcome(False, False, "email is not configured (PROCUREMENT_SMTP_HOST)")
    recipient = mail_address(target.address)
    if recipient is None:
        return DeliveryOutcome(False, False, "the email address is not valid")
    message = build_email(notice, smtp.sender, recipient, datetime.now(UTC))
    try:
        await aiosmtplib.send(
            message,
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username,
            password=smtp.password,
            start_tls=smtp.starttls,
            tls_context=_tls_context(smtp) if smtp.starttls else None,
            timeout=config.timeout_seconds,
        )
    except aiosmtplib.SMTPRecipientsRefused as error:
        refusal = error.recipients[0]
        return _reply_outcome(refusal.code, refusal.message, "recipient refused")
    except aiosmtplib.SMTPAuthenticationError as error:
        return _reply_outcome(error.code, error.message, "login refused")
    except aiosmtplib.SMTPResponseException as error:
        return _reply_outcome(error.code, error.message, "refused")
    except aiosmtplib.SMTPNotSupported as error:
        # The relay offers no AUTH: configuration, not a passing fault.
        return DeliveryOutcome(False, False, f"SMTP server {smtp.host}: {error.message}")
    except ssl.SSLCertVerificationError as error:
        return DeliveryOutcome(
            False,
            False,
            f"SMTP server {smtp.host}: certificate not trusted ({error.verify_message})",
        )
    except (aiosmtplib.SMTPException, OSError) as error:  # timeouts, refused or lost connections
        if _starttls_missing(error):
            return DeliveryOutcome(
                False, False, f"SMTP server {smtp.host} does not offer STARTTLS, which is required"
            )
        return DeliveryOutcome(
            False, True, f"SMTP server {smtp.host}:{smtp.port} unreachable ({type(error).__name__})"
        )
    return DeliveryOutcome(True, False, f"accepted by {smtp.host}", 250)
