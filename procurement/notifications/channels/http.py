"""The HTTP transport shared by the webhook and the group robots: one POST, its answer.

No redirect is followed silently: a 307 or 308 to the same host (http may go to https, never
back) is followed up to three times, since it keeps the method and the signed body; anything else
(another host, a 301/302/303 that would turn the POST into a GET) is a refusal naming where it
pointed. Details name the host only: robot URLs carry their credentials in the query."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from procurement.notifications.channels.config import ChannelConfig
from procurement.notifications.message import DeliveryOutcome

MAX_REDIRECTS = 3
MAX_ANSWER_BYTES = 64 * 1024  # a robot's answer is a small JSON; never hold a large page


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes


def check_url(url: str, channel: str) -> DeliveryOutcome | None:
    """A refusal when ``url`` is not an absolute http(s) URL, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return DeliveryOutcome(False, False, f"{channel} address is not an http(s) URL")
    return None


def _redirect_target(current: httpx.URL, response: httpx.Response) -> httpx.URL | str:
    """The URL to follow, or why not."""
    location = response.headers.get("location")
    if response.status_code not in (307, 308) or not location:
        return f"HTTP {response.status_code} redirect not followed (it would not keep the POST)"
    target = current.join(location)
    if target.host != current.host:
        return f"HTTP {response.status_code} redirect to another host ({target.host}) not followed"
    if target.scheme not in ("http", "https") or (current.scheme, target.scheme) == (
        "https",
        "http",
    ):
        return f"HTTP {response.status_code} redirect to {target.scheme}: not followed"
    return target


async def post(
    url: str, body: bytes, headers: dict[str, str], config: ChannelConfig, channel: str
) -> Answer | DeliveryOutcome:
    """POST ``body`` and return the answer, or the outcome when there is none to read."""
    invalid = check_url(url, channel)
    if invalid is not None:
        return invalid
    target = httpx.URL(url)
    host = target.host
    all_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": config.user_agent,
        **headers,
    }
    async with httpx.AsyncClient(
        timeout=config.timeout_seconds, follow_redirects=False, trust_env=config.use_env_proxy
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                async with client.stream("POST", target, content=body, headers=all_headers) as r:
                    if not r.is_redirect:
                        return Answer(r.status_code, await _read_capped(r))
                    followed = _redirect_target(target, r)
            except httpx.TimeoutException:
                return DeliveryOutcome(False, True, f"{channel}: {host} did not answer in time")
            except httpx.HTTPError as error:  # connection refused, reset, DNS, TLS
                reason = type(error).__name__
                return DeliveryOutcome(False, True, f"{channel}: could not reach {host} ({reason})")
            if isinstance(followed, str):
                return DeliveryOutcome(False, False, f"{channel}: {followed}", r.status_code)
            target = followed
    return DeliveryOutcome(False, False, f"{channel}: more than {MAX_REDIRECTS} redirects")


async def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_ANSWER_BYTES:
            break
    return b"".join(chunks)[:MAX_ANSWER_BYTES]
