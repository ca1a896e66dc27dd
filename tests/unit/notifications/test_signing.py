"""Signatures against vectors computed outside Python, with the openssl command line:

    printf '1700000000.{"id":"n-1","title":"审查"}' | openssl dgst -sha256 -hmac 'whsec-测试'
    printf '1577262236757\\nSEC1234567890abcdef' \\
        | openssl dgst -sha256 -hmac 'SEC1234567890abcdef' -binary | base64
    printf '' | openssl dgst -sha256 -mac HMAC \\
        -macopt hexkey:$(printf '1599360473\\nsecret-飞书' | xxd -p | tr -d '\\n') -binary | base64
"""

from __future__ import annotations

from procurement.notifications.channels.robots import dingtalk_url
from procurement.notifications.channels.signing import (
    dingtalk_sign,
    feishu_sign,
    webhook_signature,
)
from procurement.notifications.channels.webhook import webhook_headers


def test_webhook_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    body = '{"id":"n-1","title":"审查"}'.encode()
    assert webhook_signature("whsec-测试", 1700000000, body) == (
        "sha256=17eb624d02c40220e2a8956a9b8b0ae36a22205587a98dfa5aa816f9712aaff7"
    )


def test_webhook_signature_changes_with_the_timestamp_and_the_body() -> None:
    body = b'{"id":"n-1"}'
    base = webhook_signature("s", 1700000000, body)
    assert webhook_signature("s", 1700000001, body) != base
    assert webhook_signature("s", 1700000000, body + b" ") != base
    assert webhook_signature("t", 1700000000, body) != base


def test_webhook_headers_carry_timestamp_signature_and_notice_id() -> None:
    body = '{"id":"n-1","title":"审查"}'.encode()
    assert webhook_headers("whsec-测试", 1700000000, body, "n-1") == {
        "X-Procurement-Timestamp": "1700000000",
        "X-Procurement-Notice-Id": "n-1",
        "X-Procurement-Signature": "sha256=17eb624d02c40220e2a8956a9b8b0ae36a22205587a98dfa5aa816f9712aaff7",
    }


def test_webhook_headers_without_secret_or_with_an_unsendable_id() -> None:
    # a notice id that is not printable ASCII stays in the body only (HTTP headers are latin-1)
    assert webhook_headers(None, 1700000000, b"{}", "通知-1") == {
        "X-Procurement-Timestamp": "1700000000"
    }
    assert webhook_headers("", 1700000000, b"{}", "a\r\nb") == {
        "X-Procurement-Timestamp": "1700000000"
    }


def test_dingtalk_sign_is_url_encoded_base64_of_hmac_keyed_by_the_secret() -> None:
    assert dingtalk_sign("SEC1234567890abcdef", 1577262236757) == (
        "f7qQ1A8KagEZ45y1gasTtKsEq5ERTeDXP9T%2BWkIqzDk%3D"
    )


def test_dingtalk_url_appends_timestamp_and_sign_to_the_token() -> None:
    url = "https://oapi.dingtalk.com/robot/send?access_token=abc"
    assert dingtalk_url(url, "SEC1234567890abcdef", 1577262236757) == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc"
        "&timestamp=1577262236757&sign=f7qQ1A8KagEZ45y1gasTtKsEq5ERTeDXP9T%2BWkIqzDk%3D"
    )
    assert dingtalk_url(url, None, 1577262236757) == url


def test_feishu_sign_is_hmac_keyed_by_timestamp_and_secret_over_nothing() -> None:
    assert feishu_sign("secret-飞书", 1599360473) == "C4EH/i+EoNzSni6AWDlI5BddUp1fq53PigtoThtpyvU="
