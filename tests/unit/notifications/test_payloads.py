from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from procurement.notifications.channels.payloads import (
    dingtalk_payload,
    dumps,
    feishu_payload,
    webhook_body,
    wecom_payload,
)
from procurement.notifications.message import Language, Notice

EN = Notice(
    kind="agreement.signed",
    language=Language.EN,
    title="Agreement signed: P-7",
    lines=("Vendor: Acme Networks", 'Template "standard" v3'),
    occurred_at=datetime(2026, 11, 28, 15, 30, tzinfo=timezone(timedelta(hours=8))),
    link="https://review.example.cn/agreements/7",
    facts={"agreementId": "7"},
    notice_id="n-7",
)


def test_webhook_body_is_compact_utf8_json_with_utc_time() -> None:
    assert webhook_body(EN) == (
        b'{"id":"n-7","kind":"agreement.signed","language":"en","title":"Agreement signed: P-7",'
        b'"lines":["Vendor: Acme Networks","Template \\"standard\\" v3"],'
        b'"link":"https://review.example.cn/agreements/7","occurredAt":"2026-11-28T07:30:00Z",'
        b'"facts":{"agreementId":"7"}}'
    )


def test_webhook_body_without_a_link_says_null() -> None:
    assert json.loads(webhook_body(replace(EN, link=None)))["link"] is None


def test_english_notices_use_english_labels_and_the_en_us_locale() -> None:
    assert wecom_payload(EN)["markdown"]["content"] == (
        '**Agreement signed: P-7**\nVendor: Acme Networks\nTemplate "standard" v3\n'
        "[Open in the review service](https://review.example.cn/agreements/7)"
    )
    post = feishu_payload(EN)["content"]["post"]
    assert list(post) == ["en_us"]
    assert post["en_us"]["content"][-1] == [
        {
            "tag": "a",
            "text": "Open in the review service",
            "href": "https://review.example.cn/agreements/7",
        }
    ]


def test_a_notice_without_lines_or_link_is_just_its_title() -> None:
    bare = replace(EN, lines=(), link=None)
    assert wecom_payload(bare) == {
        "msgtype": "markdown",
        "markdown": {"content": "**Agreement signed: P-7**"},
    }
    assert dingtalk_payload(bare)["markdown"] == {
        "title": "Agreement signed: P-7",
        "text": "### Agreement signed: P-7",
    }
    assert feishu_payload(bare)["content"]["post"]["en_us"] == {
        "title": "Agreement signed: P-7",
        "content": [],
    }


def test_feishu_signed_payload_puts_timestamp_and_sign_in_the_body() -> None:
    payload = feishu_payload(EN, 1599360473, "C4EH/i+EoNzSni6AWDlI5BddUp1fq53PigtoThtpyvU=")
    assert (payload["timestamp"], payload["sign"], payload["msg_type"]) == (
        "1599360473",
        "C4EH/i+EoNzSni6AWDlI5BddUp1fq53PigtoThtpyvU=",
        "post",
    )


@pytest.mark.parametrize(
    ("build", "limit"),
    [
        (lambda n: wecom_payload(n)["markdown"]["content"], 4096),
        (lambda n: dingtalk_payload(n)["markdown"]["text"], 20000),
    ],
)
def test_markdown_is_cut_to_the_vendor_limit_keeping_the_link(build, limit) -> None:  # type: ignore[no-untyped-def]
    # given 10,000 Chinese characters in one line (30,000 bytes)
    text = build(replace(EN, language=Language.ZH_CN, lines=("组" * 10000,)))
    encoded = text.encode("utf-8")
    assert limit - 3 <= len(encoded) <= limit
    assert text.endswith(
        "组…\n[查看详情](https://review.example.cn/agreements/7)"
    ) or text.endswith("组…\n\n[查看详情](https://review.example.cn/agreements/7)")


def test_a_very_long_title_is_cut_to_one_line_of_256_bytes() -> None:
    payload = dingtalk_payload(replace(EN, title="标" * 200))
    assert payload["markdown"]["title"] == "标" * 84 + "…"  # 252 + 3 bytes
    assert payload["markdown"]["text"].startswith("### " + "标" * 84 + "…\n\n")


def test_feishu_body_fits_20_kb_even_with_escaped_characters() -> None:
    # given lines full of characters JSON escapes (a quote becomes two bytes, a control char six)
    lines = tuple('"\x01' * 3000 for _ in range(5))
    payload = feishu_payload(replace(EN, lines=lines), 1599360473, "sig")
    assert 20 * 1024 - 64 <= len(dumps(payload)) <= 20 * 1024
