"""WeCom, DingTalk and Feishu robots against real HTTP receivers on loopback that check what the
vendors check (key or token, signature and its age, keyword, size) and answer the way the vendors
do: HTTP 200 with an error code in the JSON body, or an HTTP error."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import replace

import pytest

from procurement.notifications.channels import ChannelConfig, deliver
from procurement.notifications.message import ChannelKind, ChannelTarget, Notice
from tests.support.http_receiver import Received, Reply, Respond, http_receiver

KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
TOKEN = "566cc69da782ec0000"
SECRET = "SEC240d7bb4c0bafc62f1e6b1b0e8c5a0"


def answer(payload: dict[str, object], status: int = 200) -> Reply:
    return Reply(status, json.dumps(payload).encode())


# --- WeCom (企业微信): the key in the URL is the only credential ---------------------------------


def wecom(mode: str = "ok") -> Respond:
    def respond(request: Received) -> Reply:
        if mode == "http500":
            return Reply(500, b"<html>oops</html>", {"Content-Type": "text/html"})
        if request.query.get("key") != [KEY]:
            return answer({"errcode": 93000, "errmsg": "invalid webhook url"})
        if mode == "busy":
            return answer({"errcode": 45009, "errmsg": "api freq out of limit"})
        content = json.loads(request.body)["markdown"]["content"]
        if len(content.encode("utf-8")) > 4096:
            return answer({"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"})
        return answer({"errcode": 0, "errmsg": "ok"})

    return respond


async def test_wecom_accepts_a_markdown_notice(notice: Notice, config: ChannelConfig) -> None:
    with http_receiver(wecom()) as receiver:
        target = ChannelTarget(ChannelKind.WECOM, f"{receiver.url}/cgi-bin/webhook/send?key={KEY}")
        outcome = await deliver(target, notice, config)
    assert (outcome.delivered, outcome.retryable, outcome.status) == (True, False, 200)
    body = json.loads(receiver.requests[0].body)
    assert body == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**审查期限临近:采购 P-2026-001**\n供应商:华安网络科技有限公司\n"
            "期限:2026-12-03(还有 3 个工作日)\n"
            "[查看详情](https://review.example.cn/purchases/P-2026-001)"
        },
    }


async def test_wecom_truncates_long_chinese_to_its_4096_byte_limit(
    notice: Notice, config: ChannelConfig
) -> None:
    # given 3,000 Chinese characters (9,000 bytes) of lines
    long_notice = replace(notice, lines=("漏洞" * 1500,))
    with http_receiver(wecom()) as receiver:
        target = ChannelTarget(ChannelKind.WECOM, f"{receiver.url}/send?key={KEY}")
        outcome = await deliver(target, long_notice, config)
    # then the robot accepts it: cut under the limit, valid UTF-8, the link kept at the end
    assert outcome.delivered
    content = json.loads(receiver.requests[0].body)["markdown"]["content"]
    assert 4090 <= len(content.encode("utf-8")) <= 4096
    assert content.endswith("…\n[查看详情](https://review.example.cn/purchases/P-2026-001)")


@pytest.mark.parametrize(
    ("mode", "key", "expected"),
    [
        (
            "busy",
            KEY,
            (
                False,
                True,
                "WeCom error 45009: rate limited (20 messages a minute) (api freq out of limit)",
            ),
        ),
        (
            "ok",
            "wrong",
            (False, False, "WeCom error 93000: invalid webhook key (invalid webhook url)"),
        ),
        ("http500", KEY, (False, True, "WeCom answered HTTP 500 (will retry)")),
    ],
)
async def test_wecom_refusals(
    notice: Notice, config: ChannelConfig, mode: str, key: str, expected: tuple[bool, bool, str]
) -> None:
    with http_receiver(wecom(mode)) as receiver:
        target = ChannelTarget(ChannelKind.WECOM, f"{receiver.url}/send?key={key}")
        outcome = await deliver(target, notice, config)
    assert (outcome.delivered, outcome.retryable, outcome.detail) == expected


# --- DingTalk (钉钉): access_token, optional 加签 in the query, optional keyword -----------------


def dingtalk_expected_sign(timestamp: str, secret: str) -> str:
    """DingTalk's documented Python sample, written out again (before URL-encoding)."""
    string_to_sign = f"{timestamp}\n{secret}"
    code = hmac.new(
        secret.encode("utf-8"), string_to_sign.encode("utf-8"), digestmod=hashlib.sha256
    )
    return base64.b64encode(code.digest()).decode()


def dingtalk(secret: str | None = SECRET, keyword: str | None = None, mode: str = "ok") -> Respond:
    def respond(request: Received) -> Reply:
        if mode == "http500":
            return Reply(500, b"")
        if request.query.get("access_token") != [TOKEN]:
            return answer({"errcode": 300001, "errmsg": "token is not exist"})
        if secret is not None:
            [timestamp] = request.query.get("timestamp", [""])
            [sign] = request.query.get("sign", [""])  # parse_qs undoes the URL-encoding
            fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3600_000
            if not fresh or not hmac.compare_digest(
                sign, dingtalk_expected_sign(timestamp, secret)
            ):
                return answer({"errcode": 310000, "errmsg": "sign not match"})
        text = json.loads(request.body)["markdown"]["text"]
        if keyword is not None and keyword not in text:
            return answer({"errcode": 310000, "errmsg": "keywords not in content"})
        if mode == "busy":
            return answer(
                {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
            )
        return answer({"errcode": 0, "errmsg": "ok"})

    return respond


async def test_dingtalk_signed_markdown_is_accepted(notice: Notice, config: ChannelConfig) -> None:
    with http_receiver(dingtalk(keyword="审查")) as receiver:
        target = ChannelTarget(
            ChannelKind.DINGTALK, f"{receiver.url}/robot/send?access_token={TOKEN}", SECRET
        )
        outcome = await deliver(target, notice, config)
    assert (outcome.delivered, outcome.detail) == (True, "DingTalk accepted the message")
    request = receiver.requests[0]
    assert request.path == "/robot/send"
    assert json.loads(request.body) == {
        "msgtype": "markdown",
        "markdown": {
            "title": "审查期限临近:采购 P-2026-001",
            "text": "### 审查期限临近:采购 P-2026-001\n\n供应商:华安网络科技有限公司\n\n"
            "期限:2026-12-03(还有 3 个工作日)\n\n"
            "[查看详情](https://review.example.cn/purchases/P-2026-001)",
        },
    }


@pytest.mark.parametrize(
    ("secret_used", "keyword", "mode", "expected"),
    [
        (
            "SECwrong",
            None,
            "ok",
            (
                False,
                False,
                "DingTalk error 310000: security settings refused it (signature, keyword or IP) (sign not match)",
            ),
        ),
        (
            SECRET,
            "监控报警",
            "ok",
            (
                False,
                False,
                "DingTalk error 310000: security settings refused it (signature, keyword or IP) (keywords not in content)",
            ),
        ),
        (
            SECRET,
            None,
            "busy",
            (
                False,
                True,
                "DingTalk error 130101: rate limited (20 messages a minute, then 10 minutes' pause) (send too fast, exceed 20 times per minute)",
            ),
        ),
        (SECRET, None, "http500", (False, True, "DingTalk answered HTTP 500 (will retry)")),
    ],
)
async def test_dingtalk_refusals(
    notice: Notice,
    config: ChannelConfig,
    secret_used: str,
    keyword: str | None,
    mode: str,
    expected: tuple[bool, bool, str],
) -> None:
    with http_receiver(dingtalk(keyword=keyword, mode=mode)) as receiver:
        target = ChannelTarget(
            ChannelKind.DINGTALK, f"{receiver.url}/robot/send?access_token={TOKEN}", secret_used
        )
        outcome = await deliver(target, notice, config)
    assert (outcome.delivered, outcome.retryable, outcome.detail) == expected


async def test_dingtalk_without_a_secret_sends_no_signature(
    notice: Notice, config: ChannelConfig
) -> None:
    with http_receiver(dingtalk(secret=None)) as receiver:
        target = ChannelTarget(
            ChannelKind.DINGTALK, f"{receiver.url}/robot/send?access_token={TOKEN}"
        )
        outcome = await deliver(target, notice, config)
    assert outcome.delivered
    assert set(receiver.requests[0].query) == {"access_token"}


# --- Feishu (飞书): timestamp and sign in the body, optional keyword ----------------------------


def feishu_expected_sign(timestamp: str, secret: str) -> str:
    """Feishu's documented Python sample, written out again: the key is "timestamp\\nsecret"."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", digestmod=hashlib.sha256).digest()).decode()


def feishu(secret: str | None = SECRET, keyword: str | None = None, mode: str = "ok") -> Respond:
    def respond(request: Received) -> Reply:
        if mode == "http500":
            return Reply(500, b"")
        if len(request.body) > 20 * 1024:
            return answer({"code": 9499, "msg": "Bad Request", "data": {}})
        body = json.loads(request.body)
        if secret is not None:
            timestamp = body.get("timestamp", "")
            fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 3600
            if not fresh or body.get("sign") != feishu_expected_sign(timestamp, secret):
                return answer(
                    {
                        "code": 19021,
                        "msg": "sign match fail or timestamp is not within one hour from current time",
                        "data": {},
                    }
                )
        if keyword is not None and keyword not in json.dumps(body["content"], ensure_ascii=False):
            return answer({"code": 19024, "msg": "Key Words Not Found", "data": {}})
        if mode == "busy":
            return answer(
                {
                    "code": 11232,
                    "msg": "frequency limited psm[lark.oapi.app_platform_runtime]",
                    "data": {},
                }
            )
        return answer(
            {"StatusCode": 0, "StatusMessage": "success", "code": 0, "data": {}, "msg": "success"}
        )

    return respond


async def test_feishu_signed_post_is_accepted(notice: Notice, config: ChannelConfig) -> None:
    with http_receiver(feishu(keyword="审查")) as receiver:
        target = ChannelTarget(
            ChannelKind.FEISHU, f"{receiver.url}/open-apis/bot/v2/hook/abc", SECRET
        )
        outcome = await deliver(target, notice, config)
    assert (outcome.delivered, outcome.detail) == (True, "Feishu accepted the message")
    body = json.loads(receiver.requests[0].body)
    assert body["msg_type"] == "post"
    assert body["content"] == {
        "post": {
            "zh_cn": {
                "title": "审查期限临近:采购 P-2026-001",
                "content": [
                    [{"tag": "text", "text": "供应商:华安网络科技有限公司"}],
                    [{"tag": "text", "text": "期限:2026-12-03(还有 3 个工作日)"}],
                    [
                        {
                            "tag": "a",
                            "text": "查看详情",
                            "href": "https://review.example.cn/purchases/P-2026-001",
                        }
                    ],
                ],
            }
        }
    }


async def test_feishu_keeps_a_huge_notice_under_its_20_kb_body_limit(
    notice: Notice, config: ChannelConfig
) -> None:
    # given 40 lines of 500 Chinese characters (60 KB), some with quotes that JSON escapes
    lines = tuple(f'第{i}行"组件"' + "漏" * 500 for i in range(40))
    with http_receiver(feishu()) as receiver:
        target = ChannelTarget(ChannelKind.FEISHU, f"{receiver.url}/hook/abc", SECRET)
        outcome = await deliver(target, replace(notice, lines=lines), config)
    assert outcome.delivered
    body = receiver.requests[0].body
    assert 20 * 1024 - 64 <= len(body) <= 20 * 1024  # at most one row's overhead left unused
    rows = json.loads(body)["content"]["post"]["zh_cn"]["content"]
    assert rows[-2][0]["text"].endswith("…")
    assert rows[-1] == [
        {"tag": "a", "text": "查看详情", "href": "https://review.example.cn/purchases/P-2026-001"}
    ]


@pytest.mark.parametrize(
    ("secret_used", "keyword", "mode", "expected"),
    [
        (
            "wrong",
            None,
            "ok",
            (
                False,
                False,
                "Feishu error 19021: signature refused (bad secret, or clock off by more than an hour) (sign match fail or timestamp is not within one hour from current time)",
            ),
        ),
        (
            SECRET,
            "告警",
            "ok",
            (
                False,
                False,
                "Feishu error 19024: keyword required by the bot is missing (Key Words Not Found)",
            ),
        ),
        (
            SECRET,
            None,
            "busy",
            (
                False,
                True,
                "Feishu error 11232: rate limited (frequency limited psm[lark.oapi.app_platform_runtime])",
            ),
        ),
        (SECRET, None, "http500", (False, True, "Feishu answered HTTP 500 (will retry)")),
    ],
)
async def test_feishu_refusals(
    notice: Notice,
    config: ChannelConfig,
    secret_used: str,
    keyword: str | None,
    mode: str,
    expected: tuple[bool, bool, str],
) -> None:
    with http_receiver(feishu(keyword=keyword, mode=mode)) as receiver:
        target = ChannelTarget(ChannelKind.FEISHU, f"{receiver.url}/hook/abc", secret_used)
        outcome = await deliver(target, notice, config)
    assert (outcome.delivered, outcome.retryable, outcome.detail) == expected


async def test_robot_details_never_show_the_key_in_the_url(
    notice: Notice, config: ChannelConfig
) -> None:
    # given a robot URL whose query holds the credential, on a port nobody listens on
    target = ChannelTarget(ChannelKind.WECOM, f"http://127.0.0.1:9/send?key={KEY}")
    outcome = await deliver(target, notice, config)
    assert outcome.retryable
    assert KEY not in outcome.detail
