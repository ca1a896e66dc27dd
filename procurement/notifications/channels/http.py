"""The HTTP transport shared by the webhook and the group robots: one POST, its answer.

No redirect is followed silently: a 307 or 308 to the same host (http may go to https, never
back) is followed up to three times, since it keeps the method and the signed body; anything else
(another host, a 301/302/303 that would turn the POST into a GET) is a refusal naming where it
pointed. Details name the host only: robot URLs carry their credentials in the query."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import certifi
import httpx

from procurement.notifications.channels.config import ChannelConfig
from procurement.notifications.message import DeliveryOutcome

MAX_REDIRECTS = 3
MAX_ANSWER_BYTES = 64 * 1024  # a robot's answer is a small JSON; never hold a large page


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    redirected_to: str | None = None  # the path finally answered, when a redirect was followed


@lru_cache(maxsize=4)
def _verify_context(cafile: str | None, capath: str | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=cafile, capath=capath)


def tls_context(trust_env: bool) -> ssl.SSLContext:
    """The context that verifies servers, built once per CA source: loading a CA bundle costs
    more than a loopback request, and a client is made per delivery. The same sources as httpx's
    own default: SSL_CERT_FILE, then SSL_CERT_DIR (when trusting the environment), then certifi."""
    if trust_env and os.environ.get("SSL_CERT_FILE"):
        return _verify_context(os.environ["SSL_CERT_FILE"], None)
    if trust_env and os.environ.get("SSL_CERT_DIR"):
        return _verify_context(None, os.environ["SSL_CERT_DIR"])
    return _verify_context(certifi.where(), None)


def parse_url(url: str, channel: str) -> httpx.URL | DeliveryOutcome:
    """The URL when it is an absolute http(s) URL with a host, else a refusal."""
    refusal = DeliveryOutcome(False, False, f"{channel} address is not an http(s) URL")
    try:
        parts = urlsplit(url)
        parsed = httpx.URL(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except (ValueError, httpx.InvalidURL):
        return refusal
    if parts.scheme not in ("http", "https") or not parts.hostname or not parsed.host:
        return refusal
    if any(c.isspace() for c in url):
        return refusal
    return parsed


def _redirect_target(current: httpx.URL, response: httpx.Response) -> httpx.URL | str:
    """The URL to follow, or why not."""
    location = response.headers.get("location")
    if response.status_code not in (307, 308) or not location:
        return f"HTTP {response.status_code} redirect not followed (it would not keep the POST)"
    try:
        target = current.join(location)
    except httpx.InvalidURL:
        return f"HTTP {response.status_code} redirect to an invalid URL not followed"
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
    target = parse_url(url, channel)
    if isinstance(target, DeliveryOutcome):
        return target
    host, first_path = target.host, target.raw_path
    all_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": config.user_agent,
        **headers,
    }
    async with httpx.AsyncClient(
        timeout=config.timeout_seconds,
        follow_redirects=False,
        trust_env=config.trust_env,
        verify=tls_context(config.trust_env),
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                async with client.stream("POST", target, content=body, headers=all_headers) as r:
                    if not r.is_redirect:
                        moved = None if target.raw_path == first_path else target.path
                        return Answer(r.status_code, await _read_capped(r), moved)
                    followed = _redirect_target(target, r)
            except httpx.TimeoutException:
                return DeliveryOutcome(False, True, f"{channel}: {host} did not answer in time")
            except httpx.HTTPError as error:  # connection refused, reset, DNS, TLS
                untrusted = _certificate_error(error)
                if untrusted is not None:
                    # An untrusted certificate does not fix itself: a person must look.
                    reason = untrusted.verify_message
                    return DeliveryOutcome(
                        False, False, f"{channel}: {host}'s certificate is not trusted ({reason})"
                    )
                reason = type(error).__name__
                return DeliveryOutcome(False, True, f"{channel}: could not reach {host} ({reason})")
            if isinstance(followed, str):
                return DeliveryOutcome(False, False, f"{channel}: {followed}", r.status_code)
            target = followed
    return DeliveryOutcome(False, False, f"{channel}: more than {MAX_REDIRECTS} redirects")


def _certificate_error(error: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification failure behind ``error`` (httpx wraps httpcore's wrap)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


async def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_ANSWER_BYTES:
            break
    return b"".join(chunks)[:MAX_ANSWER_BYTES]
