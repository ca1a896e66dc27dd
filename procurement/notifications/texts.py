"""Every notice kind in Chinese and English: a title and a few lines (pure).

Texts quote only the facts an event carries (see ``procurement/outbox.py``); whether a recipient
may hear of a kind at all is decided before rendering (``procurement/notifications/audience.py``).
Dates are China dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from procurement.clock import CHINA
from procurement.notifications.message import Language

ZH, EN = Language.ZH_CN, Language.EN

_STATE_ZH = {
    "PENDING_TRIAGE": "待分诊", "NOT_REQUIRED": "无需申报", "DECLARATION_PREPARED": "申报准备中",
    "DECLARED": "已申报", "NO_REVIEW_NEEDED": "无需审查", "UNDER_REVIEW": "审查中",
    "SPECIAL_REVIEW": "特别审查", "PASSED": "审查通过", "FAILED": "审查未通过",
    "WITHDRAWN": "已撤回",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Subject:
    """What a notice is about, as the recipient may read it."""

    purchase: str | None = None  # the purchase's title
    vendor: str | None = None


def china_date(moment: datetime) -> str:
    return moment.astimezone(CHINA).date().isoformat()


def _state(value: Any, lang: Language) -> str:
    text = str(value or "")
    return _STATE_ZH.get(text, text) if lang is ZH else text


def _about(subject: Subject, lang: Language) -> str:
    purchase = subject.purchase or ("（未命名采购）" if lang is ZH else "(unnamed purchase)")
    if subject.vendor:
        return f"{purchase}（{subject.vendor}）" if lang is ZH else f"{purchase} ({subject.vendor})"
    return purchase


def _pick(lang: Language, zh: str, en: str) -> str:
    return zh if lang is ZH else en


def render(
    kind: str, facts: Mapping[str, Any], subject: Subject, lang: Language, occurred: datetime
) -> tuple[str, tuple[str, ...]]:
    """The title and lines of a notice of ``kind`` in ``lang``."""
    about = _about(subject, lang)
    on = china_date(occurred)
    f = facts
    lines: list[str]
    if kind == "review.case_changed":
        if f.get("from_state"):
            title = _pick(lang, "审查案件状态变更", "Review case changed state")
            lines = [
                _pick(lang, f"采购：{about}", f"Purchase: {about}"),
                _pick(
                    lang,
                    f"状态：{_state(f['from_state'], lang)} → {_state(f.get('state'), lang)}",
                    f"State: {f['from_state']} → {f.get('state')}",
                ),
            ]
        else:
            title = _pick(lang, "新的审查案件", "New review case")
            lines = [
                _pick(lang, f"采购：{about}", f"Purchase: {about}"),
                _pick(lang, "状态：待分诊", "State: PENDING_TRIAGE"),
            ]
    elif kind in ("review.deadline_near", "review.deadline_passed"):
        near = kind == "review.deadline_near"
        title = (
            _pick(lang, "审查期限临近", "Review deadline approaching")
            if near
            else _pick(lang, "审查期限已过", "Review deadline passed")
        )
        lines = [
            _pick(lang, f"采购：{about}", f"Purchase: {about}"),
            _pick(lang, f"期限：{f.get('due')}", f"Deadline: {f.get('due')}"),
            _pick(lang, f"状态：{_state(f.get('state'), lang)}", f"State: {f.get('state')}"),
        ]
        if near:
            days = f.get("working_days_left")
            lines.append(_pick(lang, f"剩余工作日：{days}", f"Working days left: {days}"))
    elif kind == "sbom.uploaded":
        title = _pick(lang, "收到新的SBOM", "New SBOM received")
        lines = [
            _pick(lang, f"采购：{about}", f"Purchase: {about}"),
            _pick(
                lang,
                f"SBOM：{f.get('sbom')} 第{f.get('version')}版，组件 {f.get('components')} 个",
                f"SBOM: {f.get('sbom')} version {f.get('version')}, "
                f"{f.get('components')} components",
            ),
        ]
    elif kind == "sbom.refused":
        title = _pick(lang, "SBOM被拒收", "SBOM refused")
        lines = [
            _pick(lang, f"采购：{about}", f"Purchase: {about}"),
            _pick(lang, f"问题数：{f.get('error_count')}", f"Problems: {f.get('error_count')}"),
        ]
        if f.get("first_error"):
            lines.append(_pick(lang, f"首个问题：{f['first_error']}", f"First: {f['first_error']}"))
    elif kind == "screening.advisory_hit":
        ids = ", ".join(f.get("vulnerability_ids") or [])
        title = _pick(lang, "新漏洞通告影响采购", "New advisory affects a purchase")
        lines = [
            _pick(lang, f"采购：{about}", f"Purchase: {about}"),
            _pick(
                lang,
                f"未处置的已知漏洞：{f.get('open_count')} 个",
                f"Open known vulnerabilities: {f.get('open_count')}",
            ),
        ]
        if ids:
            lines.append(_pick(lang, f"新增：{ids}", f"New: {ids}"))
    elif kind in ("obligation.due", "obligation.failed"):
        due = kind == "obligation.due"
        title = (
            _pick(lang, "协议义务到期未核查", "Agreement obligation overdue")
            if due
            else _pick(lang, "协议义务核查未通过", "Agreement obligation not met")
        )
        lines = [_pick(lang, f"采购：{about}", f"Purchase: {about}")]
        if f.get("obligation"):
            lines.append(_pick(lang, f"义务：{f['obligation']}", f"Obligation: {f['obligation']}"))
        when = f.get("due_on") if due else f.get("checked_on")
        if when:
            lines.append(
                _pick(lang, f"到期日：{when}", f"Due on: {when}")
                if due
                else _pick(lang, f"核查日：{when}", f"Checked on: {when}")
            )
    elif kind in ("agreement.sent", "agreement.signed"):
        sent = kind == "agreement.sent"
        title = (
            _pick(lang, "安全保密协议已发送", "Security agreement sent")
            if sent
            else _pick(lang, "安全保密协议已签署", "Security agreement signed")
        )
        when = f.get("sent_on") if sent else f.get("signed_on")
        lines = [
            _pick(lang, f"采购：{about}", f"Purchase: {about}"),
            _pick(lang, f"日期：{when}", f"Date: {when}"),
        ]
    elif kind == "job.failed":
        title = _pick(lang, "后台任务失败", "Background job failed")
        job = f"{f.get('job_id')} ({f.get('job_kind')})"
        lines = [
            _pick(lang, f"任务：{job}", f"Job: {job}"),
            _pick(
                lang,
                f"已尝试 {f.get('attempts')} 次后失败，请求人：{f.get('actor')}",
                f"Failed after {f.get('attempts')} attempts; requested by {f.get('actor')}",
            ),
            _pick(lang, f"错误：{f.get('error')}", f"Error: {f.get('error')}"),
        ]
    elif kind == "digest":
        return _digest(f, lang, on)
    elif kind == "test":
        title = _pick(lang, "测试通知", "Test notification")
        lines = [_pick(lang, "此订阅的通知渠道工作正常。", "This subscription's channel works.")]
    else:
        title, lines = kind, []
    lines.append(_pick(lang, f"日期：{on}", f"Date: {on}"))
    return title, tuple(lines)


def _digest(f: Mapping[str, Any], lang: Language, on: str) -> tuple[str, tuple[str, ...]]:
    """The daily summary: what needs the recipient now (computed per role by the check)."""
    title = _pick(lang, f"每日摘要 {on}", f"Daily digest {on}")
    lines: list[str] = []
    cases: Sequence[Mapping[str, Any]] = f.get("cases") or []
    for c in cases:
        overdue = c.get("overdue")
        lines.append(
            _pick(
                lang,
                f"审查案件：{c.get('purchase')}，{_state(c.get('state'), lang)}，"
                f"期限 {c.get('due')}" + ("（已逾期）" if overdue else ""),
                f"Review case: {c.get('purchase')}, {c.get('state')}, deadline {c.get('due')}"
                + (" (overdue)" if overdue else ""),
            )
        )
    for o in f.get("obligations") or []:
        lines.append(
            _pick(
                lang,
                f"协议义务：{o.get('purchase')}，{o.get('obligation')}，到期 {o.get('due_on')}",
                f"Obligation: {o.get('purchase')}, {o.get('obligation')}, due {o.get('due_on')}",
            )
        )
    for a in f.get("agreements") or []:
        lines.append(
            _pick(
                lang,
                f"待签署协议：{a.get('purchase')}，发送于 {a.get('sent_on')}",
                f"Agreement awaiting signature: {a.get('purchase')}, sent {a.get('sent_on')}",
            )
        )
    if not lines:
        lines.append(_pick(lang, "今日没有需要处理的事项。", "Nothing needs you today."))
    return title, tuple(lines)
