"""Cost of one notification delivery: the signed webhook to a real HTTP receiver on loopback (one
httpx client per deliver call, as the channel does), and building the worst Feishu payload (a
60 KB notice cut to 20 KB by the binary search).

Usage: python bench/bench_notification_channels.py [-n 200]
Prints median and p95 in ms. The receiver answers at once, so the figure is this side's cost.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from procurement.notifications.channels import ChannelConfig, deliver
from procurement.notifications.channels.payloads import feishu_payload
from procurement.notifications.message import (
    ChannelKind,
    ChannelTarget,
    Language,
    Notice,
)
from tests.support.http_receiver import Reply, http_receiver

NOTICE = Notice(
    kind="review.deadline_near",
    language=Language.ZH_CN,
    title="审查期限临近:采购 P-2026-001",
    lines=("供应商:华安网络科技有限公司", "期限:2026-12-03(还有 3 个工作日)"),
    occurred_at=datetime(2026, 11, 28, 7, 50, tzinfo=UTC),
    link="https://review.example.cn/purchases/P-2026-001",
    notice_id="ntc-42",
)


def report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    print(
        f"{label}: median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms, n={len(ordered)}"
    )


async def webhook(n: int) -> list[float]:
    config = ChannelConfig(timeout_seconds=5.0, trust_env=False)
    samples: list[float] = []
    with http_receiver(lambda _r: Reply(204)) as receiver:
        target = ChannelTarget(ChannelKind.WEBHOOK, receiver.url, "secret")
        for _ in range(n):
            start = time.perf_counter()
            outcome = await deliver(target, NOTICE, config)
            samples.append((time.perf_counter() - start) * 1000)
            assert outcome.delivered, outcome
    return samples


def feishu_worst(n: int) -> list[float]:
    notice = replace(NOTICE, lines=tuple(f'第{i}行"组件"' + "漏" * 500 for i in range(40)))
    samples: list[float] = []
    for _ in range(n):
        start = time.perf_counter()
        feishu_payload(notice, 1599360473, "sign")
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200)
    n = parser.parse_args().n
    report("webhook deliver (loopback, signed)", asyncio.run(webhook(n)))
    report("feishu payload, 60 KB notice cut to 20 KB", feishu_worst(n))


if __name__ == "__main__":
    main()
