"""The generic webhook against a real HTTP receiver on loopback, which checks the signature the
way README "Notifications" tells receivers to."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import ssl
import time
from pathlib import Path

import pytest
import trustme

from procurement.notifications.channels import ChannelConfig, deliver
from procurement.notifications.message import ChannelKind, ChannelTarget, Notice
from tests.support.http_receiver import Received, Reply, http_receiver

SECRET = "whsec-测试-1"


def verifies(request: Received, secret: str = SECRET, max_age: int = 300) -> bool:
    """A receiver's check, written from the README: HMAC-SHA256 over b"<ts>." + raw body."""
    timestamp = request.headers.get("x-procurement-timestamp", "")
    given = request.headers.get("x-procurement-signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > max_age:
        return False
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256)
    return hmac.compare_digest(given, "sha256=" + mac.hexdigest())


def checking_receiver(request: Received) -> Reply:
    return Reply(204) if verifies(request) else Reply(401, b'{"error":"bad signature"}')


async def test_a_signed_notice_arrives_with_every_field(
    notice: Notice, config: ChannelConfig
) -> None:
    # given a receiver that checks the signature
    with http_receiver(checking_receiver) as receiver:
        target = ChannelTarget(ChannelKind.WEBHOOK, receiver.url + "/hooks/review", SECRET)
        # when the notice is delivered
        outcome = await deliver(target, notice, config)
    # then it arrived once, signed, with the documented body
    assert (outcome.delivered, outcome.retryable, outcome.status) == (True, False, 204)
    [request] = receiver.requests
    assert request.path == "/hooks/review"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.headers["x-procurement-notice-id"] == "ntc-42"
    assert verifies(request)
    assert json.loads(request.body.decode("utf-8")) == {
        "id": "ntc-42",
        "kind": "review.deadline_near",
        "language": "zh-CN",
        "title": "审查期限临近:采购 P-2026-001",
        "lines": ["供应商:华安网络科技有限公司", "期限:2026-12-03(还有 3 个工作日)"],
        "link": "https://review.example.cn/purchases/P-2026-001",
        "occurredAt": "2026-11-28T07:50:00Z",
        "facts": {"purchaseId": "P-2026-001", "deadline": "2026-12-03"},
    }
    assert "审查期限临近".encode() in request.body  # UTF-8 on the wire, not \\u escapes


async def test_a_wrong_secret_is_refused_for_good(notice: Notice, config: ChannelConfig) -> None:
    with http_receiver(checking_receiver) as receiver:
        target = ChannelTarget(ChannelKind.WEBHOOK, receiver.url, "another secret")
        outcome = await deliver(target, notice, config)
    assert (outcome.delivered, outcome.retryable, outcome.status) == (False, False, 401)
    assert outcome.detail == "webhook answered HTTP 401 (refused)"


async def test_status_codes_decide_retrying(notice: Notice, config: ChannelConfig) -> None:
    # given a receiver answering each status in turn
    statuses = [500, 503, 429, 408, 404, 400, 410, 200]
    replies = iter(statuses)
    with http_receiver(lambda _request: Reply(next(replies))) as receiver:
        target = ChannelTarget(ChannelKind.WEBHOOK, receiver.url, SECRET)
        # when the same notice is sent once per status
        outcomes = [await deliver(target, notice, config) for _ in statuses]
    # then 5xx, 429 and 408 are worth retrying, other 4xx are not, 200 is delivered
    got = [(o.status, o.delivered, o.retryable) for o in outcomes]
    assert got == [
        (500, False, True),
        (503, False, True),
        (429, False, True),
        (408, False, True),
        (404, False, False),
        (400, False, False),
        (410, False, False),
        (200, True, False),
    ]


async def test_a_receiver_failing_twice_then_succeeding(
    notice: Notice, config: ChannelConfig
) -> None:
    # given a receiver that fails twice with HTTP 500 and then accepts
    answers = iter([500, 500, 200])
    with http_receiver(lambda _r: Reply(next(answers))) as receiver:
        target = ChannelTarget(ChannelKind.WEBHOOK, receiver.url, SECRET)
        # when the dispatcher tries three times
        outcomes = [await deliver(target, notice, config) for _ in range(3)]
    # then two retryable failures, one delivery, three signed requests with the same body
    assert [(o.delivered, o.retryable) for o in outcomes] == [
        (False, True),
        (False, True),
        (True, False),
    ]
    assert len({r.body for r in receiver.requests}) == 1
    assert all(verifies(r) for r in receiver.requests)


async def test_an_unsigned_target_sends_no_signature(notice: Notice, config: ChannelConfig) -> None:
    with http_receiver(lambda _r: Reply(200)) as receiver:
        outcome = await deliver(ChannelTarget(ChannelKind.WEBHOOK, receiver.url), notice, config)
    assert outcome.delivered
    assert "x-procurement-signature" not in receiver.requests[0].headers
    assert receiver.requests[0].headers["x-procurement-timestamp"].isdigit()


async def test_a_closed_port_is_retryable(notice: Notice, config: ChannelConfig) -> None:
    # given a port nobody listens on
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = ChannelTarget(ChannelKind.WEBHOOK, f"http://127.0.0.1:{port}/hook", SECRET)
    outcome = await deliver(target, notice, config)
    assert (outcome.delivered, outcome.retryable, outcome.status) == (False, True, None)
    assert outcome.detail == "webhook: could not reach 127.0.0.1 (ConnectError)"


async def test_a_slow_receiver_times_out_and_is_retryable(notice: Notice) -> None:
    def slow(_request: Received) -> Reply:
        time.sleep(1.5)
        return Reply(200)

    with http_receiver(slow) as receiver:
        target = ChannelTarget(ChannelKind.WEBHOOK, receiver.url, SECRET)
        outcome = await deliver(target, notice, ChannelConfig(timeout_seconds=0.3, trust_env=False))
    assert (outcome.delivered, outcome.retryable) == (False, True)
    assert outcome.detail == "webhook: 127.0.0.1 did not answer in time"


async def test_a_redirect_to_another_host_is_not_followed(
    notice: Notice, config: ChannelConfig
) -> None:
    # given a receiver that redirects the POST to a different host (localhost vs 127.0.0.1)
    with http_receiver(
        lambda _r: Reply(307, headers={"Location": "http://localhost:9/x"})
    ) as receiver:
        outcome = await deliver(
            ChannelTarget(ChannelKind.WEBHOOK, receiver.url, SECRET), notice, config
        )
    # then it stops there, refused, and only one request was made
    assert (outcome.delivered, outcome.retryable, outcome.status) == (False, False, 307)
    assert outcome.detail == "webhook: HTTP 307 redirect to another host (localhost) not followed"
    assert len(receiver.requests) == 1


async def test_a_302_is_not_followed_even_on_the_same_host(
    notice: Notice, config: ChannelConfig
) -> None:
    with http_receiver(lambda _r: Reply(302, headers={"Location": "/elsewhere"})) as receiver:
        outcome = await deliver(
            ChannelTarget(ChannelKind.WEBHOOK, receiver.url, SECRET), notice, config
        )
    assert (outcome.delivered, outcome.retryable, outcome.status) == (False, False, 302)
    assert len(receiver.requests) == 1


async def test_a_308_on_the_same_host_is_followed_with_the_signed_body(
    notice: Notice, config: ChannelConfig
) -> None:
    def moved(request: Received) -> Reply:
        if request.path == "/old":
            return Reply(308, headers={"Location": "/new"})
        return checking_receiver(request)

    with http_receiver(moved) as receiver:
        target = ChannelTarget(ChannelKind.WEBHOOK, receiver.url + "/old", SECRET)
        outcome = await deliver(target, notice, config)
    assert (outcome.delivered, outcome.status) == (True, 204)
    assert outcome.detail == "webhook answered HTTP 204 at /new (redirected)"
    assert [r.path for r in receiver.requests] == ["/old", "/new"]
    assert receiver.requests[0].body == receiver.requests[1].body


async def test_an_address_that_is_not_http_is_refused_without_a_request(
    notice: Notice, config: ChannelConfig
) -> None:
    for address in ("ftp://127.0.0.1/hook", "file:///etc/passwd", "127.0.0.1:8080/hook", ""):
        outcome = await deliver(ChannelTarget(ChannelKind.WEBHOOK, address, SECRET), notice, config)
        assert (outcome.delivered, outcome.retryable) == (False, False)
        assert outcome.detail == "webhook address is not an http(s) URL"


@pytest.fixture
def private_ca(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a certificate for 127.0.0.1 from a throwaway CA, and the CA file."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "intranet-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return context, ca_file


async def test_https_with_a_certificate_from_an_unknown_ca_is_refused_for_good(
    notice: Notice, config: ChannelConfig, private_ca: tuple[ssl.SSLContext, Path]
) -> None:
    with http_receiver(checking_receiver, tls=private_ca[0]) as receiver:
        outcome = await deliver(
            ChannelTarget(ChannelKind.WEBHOOK, receiver.url, SECRET), notice, config
        )
    assert (outcome.delivered, outcome.retryable) == (False, False)
    assert outcome.detail.startswith("webhook: 127.0.0.1's certificate is not trusted (")
    assert receiver.requests == []


async def test_https_with_the_intranet_ca_named_in_ssl_cert_file_is_delivered(
    notice: Notice, private_ca: tuple[ssl.SSLContext, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the operator's CA named the standard way, and no proxy in the environment
    monkeypatch.setenv("SSL_CERT_FILE", str(private_ca[1]))
    for proxy in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(proxy, raising=False)
    with http_receiver(checking_receiver, tls=private_ca[0]) as receiver:
        target = ChannelTarget(ChannelKind.WEBHOOK, receiver.url + "/hook", SECRET)
        outcome = await deliver(target, notice, ChannelConfig(timeout_seconds=30.0, trust_env=True))
    assert (outcome.delivered, outcome.status) == (True, 204)
    assert verifies(receiver.requests[0])
