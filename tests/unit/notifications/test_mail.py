from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from procurement.notifications.channels.mail import build_email, mail_address, message_id
from procurement.notifications.message import Language, Notice

NOTICE = Notice(
    kind="sbom.refused",
    language=Language.ZH_CN,
    title="SBOM 被拒绝:\n采购 P-9",
    lines=("原因:不是 CycloneDX 或 SPDX 文档", "<script>alert(1)</script>"),
    occurred_at=datetime(2026, 11, 28, 8, 0, tzinfo=UTC),
    link="https://review.example.cn/purchases/9?tab=sbom&x=1",
    notice_id="ntc/9 42",
)
SENT = datetime(2026, 11, 28, 8, 1, 2, tzinfo=UTC)


def test_the_email_has_one_line_utf8_subject_and_both_parts() -> None:
    message = build_email(NOTICE, "采购审查 <review@example.cn>", "li@example.cn", SENT)
    # when it goes through the bytes a relay would see
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == "SBOM 被拒绝: 采购 P-9"
    assert parsed["To"] == "li@example.cn"
    assert parsed["Date"] == "Sat, 28 Nov 2026 08:01:02 +0000"
    assert parsed["Message-ID"] == "<notice.ntc_9_42@example.cn>"
    assert parsed["Content-Language"] == "zh-CN"
    assert parsed.get_content_type() == "multipart/alternative"
    plain = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().splitlines() == [
        "SBOM 被拒绝:",
        "采购 P-9",
        "",
        "原因:不是 CycloneDX 或 SPDX 文档",
        "<script>alert(1)</script>",
        "",
        "查看详情: https://review.example.cn/purchases/9?tab=sbom&x=1",
    ]
    body = html.get_content()
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in body  # escaped, never markup
    assert '<a href="https://review.example.cn/purchases/9?tab=sbom&amp;x=1">查看详情</a>' in body


def test_the_message_id_is_stable_for_a_notice_and_random_without_one() -> None:
    assert message_id("ntc-42", "review@example.cn") == "<notice.ntc-42@example.cn>"
    assert message_id("ntc-42", "Review <review@example.cn>") == "<notice.ntc-42@example.cn>"
    first, second = message_id("", "review@example.cn"), message_id("", "review@example.cn")
    assert first != second and first.endswith("@example.cn>")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("li@example.cn", "li@example.cn"),
        ("李雷 <li@example.cn>", "li@example.cn"),
        ("li@localhost", None),
        ("li", None),
        ("@example.cn", None),
        ("a@b.cn, c@d.cn", None),
        ("a@b.cn\r\nBcc: c@d.cn", None),
        ("", None),
    ],
)
def test_mail_address(raw: str, expected: str | None) -> None:
    assert mail_address(raw) == expected


def test_an_english_notice_has_an_english_link_label() -> None:
    message = build_email(
        replace(NOTICE, language=Language.EN), "r@example.cn", "li@example.cn", SENT
    )
    plain = message.get_body(("plain",))
    assert plain is not None
    assert plain.get_content().splitlines()[-1] == (
        "Open in the review service: https://review.example.cn/purchases/9?tab=sbom&x=1"
    )
