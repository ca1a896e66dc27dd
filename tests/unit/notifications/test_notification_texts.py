"""Every notice kind in Chinese and English (pure), the retry schedule, and which audited changes
become outbox events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from procurement import outbox
from procurement.enums import NotificationKind, Role
from procurement.notifications.audience import kinds_for
from procurement.notifications.backoff import next_attempt
from procurement.notifications.message import Language
from procurement.notifications.texts import Subject, render

# 23:30 UTC on 1 March is already 2 March in China.
AT = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
SUBJECT = Subject("Core routers", "Huaxin Networks")
FACTS = {
    "state": "DECLARED", "from_state": "DECLARATION_PREPARED", "due": "2026-03-06",
    "working_days_left": 3, "sbom": "firmware", "version": 2, "components": 41, "error_count": 2,
    "first_error": "not CycloneDX", "vulnerability_ids": ["GHSA-1"], "open_count": 1,
    "obligation": "SBOM delivery", "due_on": "2026-02-01", "checked_on": "2026-02-03",
    "sent_on": "2026-02-10", "signed_on": "2026-02-20",
}  # fmt: skip


@pytest.mark.parametrize("kind", [k.value for k in NotificationKind] + ["digest", "test"])
def test_every_kind_has_a_title_and_lines_in_both_languages(kind: str) -> None:
    zh = render(kind, FACTS, SUBJECT, Language.ZH_CN, AT)
    en = render(kind, FACTS, SUBJECT, Language.EN, AT)
    # both name the kind in their own words, and the date is the China date
    assert zh[0] != en[0] and zh[0] != kind and en[0] != kind
    assert zh[1] and en[1]
    assert any("2026-03-02" in line for line in (*zh[1], zh[0]))
    assert any("2026-03-02" in line for line in (*en[1], en[0]))
    assert not any(c.isascii() and c.isalpha() for c in zh[0].replace("SBOM", ""))


def test_a_case_change_reads_naturally_in_both_languages() -> None:
    facts = {"state": "DECLARED", "from_state": "DECLARATION_PREPARED"}
    assert render("review.case_changed", facts, SUBJECT, Language.ZH_CN, AT) == (
        "审查案件状态变更",
        ("采购：Core routers（Huaxin Networks）", "状态：申报准备中 → 已申报", "日期：2026-03-02"),
    )
    assert render("review.case_changed", facts, SUBJECT, Language.EN, AT) == (
        "Review case changed state",
        (
            "Purchase: Core routers (Huaxin Networks)",
            "State: DECLARATION_PREPARED → DECLARED",
            "Date: 2026-03-02",
        ),
    )


def test_retries_come_after_1_5_30_and_120_minutes_then_stop() -> None:
    delays = [next_attempt(n, AT) for n in range(1, 6)]
    assert [None if d is None else (d - AT) // timedelta(minutes=1) for d in delays] == [
        1, 5, 30, 120, None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "before", "after", "kind"),
    [
        ("review_case.opened", None, {"state": "PENDING_TRIAGE"}, "review.case_changed"),
        ("review_case.file_declaration", {"state": "A"}, {"state": "B"}, "review.case_changed"),
        ("review_case.assigned", {"state": "A"}, {"state": "A"}, None),
        ("review_case.commented", None, {"comment": "x"}, None),
        ("sbom.uploaded", None, {"purchase_id": 3}, "sbom.uploaded"),
        ("sbom.rejected", None, {"errors": []}, "sbom.refused"),
        ("agreement.sent", None, {"state": "SENT"}, "agreement.sent"),
        ("agreement.signed", None, {"state": "SIGNED"}, "agreement.signed"),
        ("agreement.generated", None, {"state": "DRAFT"}, None),
        ("supervision_check.recorded", None, {"obligation_status": "NOT_MET"}, "obligation.failed"),
        ("supervision_check.recorded", None, {"obligation_status": "MET"}, None),
        ("purchase.updated", None, {"title": "x"}, None),
    ],
)
def test_which_audited_changes_are_news(
    action: str, before: dict[str, str] | None, after: dict[str, object], kind: str | None
) -> None:
    row = outbox.event_row(action, "Purchase", 3, 1, before, after)
    assert (None if row is None else row["kind"]) == kind


def test_the_kinds_each_role_may_subscribe_to() -> None:
    every = [k.value for k in NotificationKind]
    internal = [k for k in every if k != "job.failed"]  # the service's trouble: admins only
    assert {r.value: [k.value for k in kinds_for(r)] for r in Role} == {
        "admin": every,
        "procurement": internal,
        "vendor": ["sbom.uploaded", "sbom.refused", "agreement.sent", "agreement.signed"],
        "legal": internal,
        "reviewer": internal,
        "auditor": internal,
    }
