from __future__ import annotations

from pathlib import Path

import pytest

from procurement.notifications.channels.config import ChannelConfig, SmtpConfig
from procurement.settings import ConfigError, load_settings

RELAY = {
    "PROCUREMENT_SMTP_HOST": "smtp.example.cn",
    "PROCUREMENT_SMTP_FROM": "采购审查 <review@example.cn>",
    "PROCUREMENT_SMTP_USERNAME": "review",
    "PROCUREMENT_SMTP_PASSWORD": " pass word ",
}


def test_no_smtp_host_means_no_email_channel_and_a_ten_second_timeout() -> None:
    config = ChannelConfig.from_settings(load_settings({}))
    assert config == ChannelConfig(timeout_seconds=10.0, smtp=None)


def test_a_configured_relay_uses_starttls_on_port_587_by_default() -> None:
    config = ChannelConfig.from_settings(load_settings(RELAY))
    assert config.smtp == SmtpConfig(
        host="smtp.example.cn",
        port=587,
        sender="采购审查 <review@example.cn>",
        username="review",
        password=" pass word ",  # kept as given: spaces may belong to a password
        starttls=True,
        ca_file=None,
    )
    assert "pass word" not in repr(config)


def test_every_smtp_setting_is_read(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    env = {
        **RELAY,
        "PROCUREMENT_SMTP_PORT": "2525",
        "PROCUREMENT_SMTP_STARTTLS": "on",
        "PROCUREMENT_SMTP_CA_FILE": str(ca),
        "PROCUREMENT_NOTIFICATION_TIMEOUT_SECONDS": "30",
    }
    config = ChannelConfig.from_settings(load_settings(env))
    assert config.timeout_seconds == 30.0
    assert config.smtp is not None
    assert (config.smtp.port, config.smtp.ca_file) == (2525, str(ca))


def test_starttls_may_be_off_without_credentials() -> None:
    env = {
        "PROCUREMENT_SMTP_HOST": "relay.intra",
        "PROCUREMENT_SMTP_FROM": "r@intra.cn",
        "PROCUREMENT_SMTP_STARTTLS": "false",
    }
    smtp = ChannelConfig.from_settings(load_settings(env)).smtp
    assert smtp is not None and smtp.starttls is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"PROCUREMENT_SMTP_HOST": "smtp.example.cn"},
            "PROCUREMENT_SMTP_FROM is required when PROCUREMENT_SMTP_HOST is set",
        ),
        (
            {**RELAY, "PROCUREMENT_SMTP_FROM": "review"},
            "PROCUREMENT_SMTP_FROM='review' is not an email address",
        ),
        (
            {**RELAY, "PROCUREMENT_SMTP_PORT": "0"},
            "PROCUREMENT_SMTP_PORT=0 is out of range (1..65535)",
        ),
        (
            {**RELAY, "PROCUREMENT_SMTP_PORT": "smtp"},
            "PROCUREMENT_SMTP_PORT='smtp' is not an integer",
        ),
        (
            {**RELAY, "PROCUREMENT_SMTP_STARTTLS": "maybe"},
            "PROCUREMENT_SMTP_STARTTLS='maybe' must be one of true, false",
        ),
        (
            {**RELAY, "PROCUREMENT_SMTP_PASSWORD": ""},
            "PROCUREMENT_SMTP_USERNAME and PROCUREMENT_SMTP_PASSWORD must be set together",
        ),
        (
            {**RELAY, "PROCUREMENT_SMTP_STARTTLS": "off"},
            "PROCUREMENT_SMTP_STARTTLS=false with PROCUREMENT_SMTP_USERNAME would send the password to smtp.example.cn unencrypted",
        ),
        (
            {**RELAY, "PROCUREMENT_SMTP_CA_FILE": "/no/such/ca.pem"},
            "PROCUREMENT_SMTP_CA_FILE='/no/such/ca.pem' is not a readable file",
        ),
        (
            {"PROCUREMENT_NOTIFICATION_TIMEOUT_SECONDS": "0"},
            "PROCUREMENT_NOTIFICATION_TIMEOUT_SECONDS=0 is out of range (1..300)",
        ),
    ],
)
def test_bad_smtp_settings_fail_at_start_naming_the_variable(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(env)
    assert str(error.value).startswith(message)
