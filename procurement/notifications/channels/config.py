"""What the channels need to know about this installation (pure: no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.settings import Settings


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """The SMTP relay that sends email notifications."""

    host: str
    port: int
    sender: str  # the From header, e.g. "采购审查 <review@example.cn>"
    username: str | None = None
    password: str | None = None
    starttls: bool = True  # required when on: a relay that does not offer STARTTLS is refused
    ca_file: str | None = None  # a private CA that signed the relay's certificate

    def __repr__(self) -> str:  # keep the password out of logs and tracebacks
        return f"SmtpConfig(host={self.host!r}, port={self.port}, sender={self.sender!r})"


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    timeout_seconds: float = 10.0  # per HTTP request or SMTP conversation step
    smtp: SmtpConfig | None = None  # None: the email channel is not configured
    # Read HTTP(S)_PROXY, NO_PROXY and SSL_CERT_FILE/SSL_CERT_DIR from the environment (httpx's
    # trust_env): intranets reach robots through a proxy and sign their own webhooks' certificates.
    trust_env: bool = True
    user_agent: str = "procurement-review-notifications/1"

    @classmethod
    def from_settings(cls, settings: Settings) -> ChannelConfig:
        smtp = None
        if settings.smtp_host is not None and settings.smtp_from is not None:
            smtp = SmtpConfig(
                host=settings.smtp_host,
                port=settings.smtp_port,
                sender=settings.smtp_from,
                username=settings.smtp_username,
                password=settings.smtp_password,
                starttls=settings.smtp_starttls,
                ca_file=settings.smtp_ca_file,
            )
        return cls(timeout_seconds=float(settings.notification_timeout_seconds), smtp=smtp)
