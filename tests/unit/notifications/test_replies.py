from __future__ import annotations

import pytest

from procurement.notifications.channels.replies import (
    dingtalk_outcome,
    feishu_outcome,
    http_outcome,
    wecom_outcome,
)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (200, None),
        (204, None),
        (400, (False, "webhook answered HTTP 400 (refused)")),
        (401, (False, "webhook answered HTTP 401 (refused)")),
        (404, (False, "webhook answered HTTP 404 (refused)")),
        (408, (True, "webhook answered HTTP 408 (will retry)")),
        (413, (False, "webhook answered HTTP 413 (refused)")),
        (429, (True, "webhook answered HTTP 429 (will retry)")),
        (500, (True, "webhook answered HTTP 500 (will retry)")),
        (502, (True, "webhook answered HTTP 502 (will retry)")),
    ],
)
def test_http_statuses(status: int, expected: tuple[bool, str] | None) -> None:
    outcome = http_outcome(status, "webhook")
    if expected is None:
        assert outcome is None
    else:
        assert outcome is not None
        assert (outcome.delivered, outcome.retryable, outcome.detail, outcome.status) == (
            False,
            *expected,
            status,
        )


@pytest.mark.parametrize(
    ("read", "body", "expected"),
    [
        (wecom_outcome, b'{"errcode":0,"errmsg":"ok"}', (True, False)),
        (wecom_outcome, b'{"errcode":45009,"errmsg":"api freq out of limit"}', (False, True)),
        (wecom_outcome, b'{"errcode":-1,"errmsg":"system busy"}', (False, True)),
        (wecom_outcome, b'{"errcode":93000,"errmsg":"invalid webhook url"}', (False, False)),
        (wecom_outcome, b'{"errcode":40058,"errmsg":"too long"}', (False, False)),
        (dingtalk_outcome, b'{"errcode":0,"errmsg":"ok"}', (True, False)),
        (dingtalk_outcome, b'{"errcode":130101,"errmsg":"send too fast"}', (False, True)),
        (dingtalk_outcome, b'{"errcode":310000,"errmsg":"sign not match"}', (False, False)),
        (dingtalk_outcome, b'{"errcode":300001,"errmsg":"token is not exist"}', (False, False)),
        (dingtalk_outcome, b'{"errcode":400013,"errmsg":"group dissolved"}', (False, False)),
        (feishu_outcome, b'{"code":0,"msg":"success","data":{}}', (True, False)),
        (feishu_outcome, b'{"StatusCode":0,"StatusMessage":"success"}', (True, False)),
        (feishu_outcome, b'{"code":11232,"msg":"frequency limited"}', (False, True)),
        (feishu_outcome, b'{"code":19021,"msg":"sign match fail"}', (False, False)),
        (feishu_outcome, b'{"code":19022,"msg":"Ip Not Allowed"}', (False, False)),
        (feishu_outcome, b'{"code":19024,"msg":"Key Words Not Found"}', (False, False)),
        (feishu_outcome, b'{"code":9499,"msg":"Bad Request"}', (False, False)),
        (feishu_outcome, b'{"code":12345,"msg":"new"}', (False, False)),
        # a 200 without the vendor's answer (a proxy's page): ambiguous, so tried again
        (feishu_outcome, b"<html>portal</html>", (False, True)),
        (wecom_outcome, b"[]", (False, True)),
        (dingtalk_outcome, b'{"errcode":"0"}', (False, True)),
    ],
)
def test_robot_error_codes(read, body: bytes, expected: tuple[bool, bool]) -> None:  # type: ignore[no-untyped-def]
    outcome = read(200, body)
    assert (outcome.delivered, outcome.retryable, outcome.status) == (*expected, 200)


def test_a_refusal_detail_names_the_code_its_meaning_and_the_vendor_message() -> None:
    outcome = feishu_outcome(200, b'{"code":19024,"msg":"Key Words Not Found"}')
    assert (
        outcome.detail
        == "Feishu error 19024: keyword required by the bot is missing (Key Words Not Found)"
    )
    long = dingtalk_outcome(200, ('{"errcode":1,"errmsg":"' + "错" * 500 + '"}').encode())
    assert long.detail == "DingTalk error 1: refused (" + "错" * 200 + ")"
