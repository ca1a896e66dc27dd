from __future__ import annotations

from datetime import UTC, datetime

import pytest

from procurement.notifications import channels
from procurement.notifications.channels import ChannelConfig, deliver
from procurement.notifications.message import (
    ChannelKind,
    ChannelTarget,
    DeliveryOutcome,
    Language,
    Notice,
)

NOTICE = Notice(
    "case.state_changed", Language.EN, "Case closed", (), datetime(2026, 11, 28, tzinfo=UTC)
)


def test_every_channel_kind_has_a_channel() -> None:
    assert set(channels._CHANNELS) == set(ChannelKind)


async def test_a_bug_in_a_channel_becomes_a_logged_refusal(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a channel that fails in an unforeseen way
    async def broken(
        target: ChannelTarget, notice: Notice, config: ChannelConfig
    ) -> DeliveryOutcome:
        raise KeyError("surprise")

    monkeypatch.setitem(channels._CHANNELS, ChannelKind.WECOM, broken)
    # when a notice is delivered through it
    outcome = await deliver(
        ChannelTarget(ChannelKind.WECOM, "https://x.invalid/"), NOTICE, ChannelConfig()
    )
    # then the dispatcher gets an outcome, not an exception, and the log has the traceback
    assert outcome == DeliveryOutcome(False, False, "internal error in the WECOM channel")
    assert "notification channel WECOM failed unexpectedly" in caplog.text
    assert "KeyError" in caplog.text
