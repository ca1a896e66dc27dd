from __future__ import annotations

from datetime import UTC, datetime

import pytest

from procurement.notifications.channels import ChannelConfig
from procurement.notifications.message import Language, Notice


@pytest.fixture
def notice() -> Notice:
    return Notice(
        kind="review.deadline_near",
        language=Language.ZH_CN,
        title="审查期限临近:采购 P-2026-001",
        lines=("供应商:华安网络科技有限公司", "期限:2026-12-03(还有 3 个工作日)"),
        occurred_at=datetime(2026, 11, 28, 7, 50, tzinfo=UTC),
        link="https://review.example.cn/purchases/P-2026-001",
        facts={"purchaseId": "P-2026-001", "deadline": "2026-12-03"},
        notice_id="ntc-42",
    )


@pytest.fixture
def config() -> ChannelConfig:
    # No proxy from the environment: the receivers are on loopback.
    return ChannelConfig(timeout_seconds=30.0, trust_env=False)
