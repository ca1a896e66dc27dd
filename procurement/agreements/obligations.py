"""The provider's obligations under the agreement, with due dates, derived from terms and facts.

Pure functions: the same purchase and terms always give the same obligations, so the schedule in
the signed document and the obligations the operator tracks (Art. 20 "supervise") never disagree.
"""

from __future__ import annotations

from datetime import date, timedelta

from procurement.agreements.context import AgreementTerms, Obligation, PurchaseFacts, Recurrence
from procurement.agreements.formatting import (
    Language,
    check_language,
    format_date,
    format_days,
    format_hours,
)
from procurement.agreements.terms import add_years, resolve_terms

# code -> language -> (title, description); descriptions may use {window} and {date}.
_TEXT: dict[str, dict[Language, tuple[str, str]]] = {
    "CONTINUITY_PLAN": {
        "zh": (
            "提交业务连续性和退出计划",
            "提交涵盖备件与替代供应、关键人员替补、数据和配置迁移以及退出过渡支持的书面计划。",
        ),
        "en": (
            "Continuity and exit plan",
            "Deliver a written plan covering spare parts and alternative supply, replacement of "
            "key staff, data and configuration migration, and transition support on exit.",
        ),
    },
    "PERSONNEL_CHECKS": {
        "zh": (
            "人员背景审查确认",
            "提交接触甲方网络、系统或保密信息的人员名单及其安全背景审查确认。",
        ),
        "en": (
            "Personnel background checks",
            "Deliver the list of staff with access to the Operator's networks, systems or "
            "confidential information, with confirmation of their security background checks.",
        ),
    },
    "SBOM_INITIAL": {
        "zh": (
            "提交软件物料清单",
            "以 CycloneDX 或 SPDX 等机器可读格式提交所供产品的软件物料清单（SBOM）。",
        ),
        "en": (
            "Initial SBOM",
            "Deliver a machine-readable software bill of materials (CycloneDX or SPDX) for the "
            "supplied products.",
        ),
    },
    "DATA_LOCATIONS": {
        "zh": (
            "说明数据存储位置",
            "书面说明其处理的甲方个人信息和重要数据的存储位置，确认均位于中华人民共和国境内。",
        ),
        "en": (
            "Data storage locations",
            "State in writing where the Operator's personal information and important data it "
            "handles are stored, confirming that they are in the People's Republic of China.",
        ),
    },
    "REMOTE_ACCESS": {
        "zh": (
            "登记远程维护账号和人员",
            "向甲方登记远程维护使用的账号、接入终端和人员；未经登记的不得接入。",
        ),
        "en": (
            "Register remote maintenance access",
            "Register with the Operator the accounts, endpoints and staff used for remote "
            "maintenance; nothing unregistered may connect.",
        ),
    },
    "SUPPORT_END_NOTICE": {
        "zh": (
            "停止供应或支持的提前通知",
            "计划在安全维护期届满后停止供应或支持的，最迟于此日书面通知甲方并更新退出计划。",
        ),
        "en": (
            "Notice before supply or support ends",
            "If supply or support is to stop after the security maintenance period, notify the "
            "Operator in writing by this date and update the exit plan.",
        ),
    },
    "MAINTENANCE_PERIOD": {
        "zh": (
            "安全维护期",
            "持续提供安全维护（漏洞修补、安全更新和技术支持）至 {date}，不得提前终止。",
        ),
        "en": (
            "Security maintenance period",
            "Provide security maintenance (vulnerability fixes, security updates, technical "
            "support) without interruption until {date}; it cannot be ended early.",
        ),
    },
    "DATA_RETURN": {
        "zh": (
            "返还或删除数据",
            "协议期满后返还或删除其持有的全部甲方数据和保密信息（含备份），并出具书面确认。",
        ),
        "en": (
            "Return or delete data",
            "After the term ends, return or delete all Operator data and confidential "
            "information it holds (backups included) and confirm this in writing.",
        ),
    },
    "SBOM_ANNUAL": {
        "zh": (
            "年度更新软件物料清单",
            "即使未发布新版本，每年至少提交一次更新的软件物料清单。",
        ),
        "en": (
            "Annual SBOM update",
            "Deliver an updated SBOM at least once a year, even without a new release.",
        ),
    },
    "ATTESTATION": {
        "zh": (
            "年度安全合规声明",
            "提交年度声明，说明本协议各项义务的履行情况、认证状态以及所有权、原产地或分包方有无变"
            "化。",
        ),
        "en": (
            "Annual security attestation",
            "Deliver a yearly statement on how each duty under this Agreement was performed, the "
            "certification status, and any change of ownership, origin or subcontractors.",
        ),
    },
    "VULN_NOTICE": {
        "zh": (
            "漏洞通知",
            "发现或获知所供产品和服务存在漏洞后 {window}内通知甲方。",
        ),
        "en": (
            "Vulnerability notice",
            "Notify the Operator within {window} of discovering or learning of a vulnerability "
            "in the supplied products or services.",
        ),
    },
    "VULN_FIX_CRITICAL": {
        "zh": (
            "严重漏洞修补",
            "自漏洞通知之日起 {window}内提供严重漏洞的修补措施。",
        ),
        "en": (
            "Critical vulnerability fix",
            "Provide a fix for a critical vulnerability within {window} of the notice.",
        ),
    },
    "VULN_FIX_HIGH": {
        "zh": (
            "高危漏洞修补",
            "自漏洞通知之日起 {window}内提供高危漏洞的修补措施。",
        ),
        "en": (
            "High-severity vulnerability fix",
            "Provide a fix for a high-severity vulnerability within {window} of the notice.",
        ),
    },
    "VULN_FIX_OTHER": {
        "zh": (
            "其他漏洞修补",
            "自漏洞通知之日起 {window}内提供其他漏洞的修补措施。",
        ),
        "en": (
            "Other vulnerability fix",
            "Provide a fix for any other vulnerability within {window} of the notice.",
        ),
    },
    "SBOM_RELEASE": {
        "zh": (
            "新版本软件物料清单",
            "每次发布新版本或更新后 {window}内提交更新的软件物料清单。",
        ),
        "en": (
            "SBOM for each release",
            "Deliver an updated SBOM within {window} of each new version or update.",
        ),
    },
    "INCIDENT_NOTICE": {
        "zh": (
            "安全事件通知",
            "发生可能影响甲方的网络安全事件后 {window}内通知甲方，并配合处置。",
        ),
        "en": (
            "Incident notice",
            "Notify the Operator within {window} of a cybersecurity incident that may affect it, "
            "and cooperate in the response.",
        ),
    },
    "CHANGE_NOTICE": {
        "zh": (
            "变更通知",
            "控股股东、实际控制人、原产地、关键部件来源或分包方发生变化后 {window}内书面通知甲方。",
        ),
        "en": (
            "Notice of changes",
            "Notify the Operator in writing within {window} of a change of controlling "
            "shareholder, actual controller, origin, source of key components or subcontractors.",
        ),
    },
}


def _make(
    code: str,
    clause_id: str,
    language: Language,
    recurrence: Recurrence,
    *,
    due: date | None = None,
    until: date | None = None,
    rule: str = "",
    hours: int = 0,
    days: int = 0,
) -> Obligation:
    title, template = _TEXT[code][language]
    window = format_days(days, language) if days else format_hours(hours, language)
    end = format_date(due, language) if due else rule
    description = template.format(window=window, date=end)
    return Obligation(
        code, clause_id, title, description, recurrence, due, until, hours, days,
        "" if due else rule,
    )  # fmt: skip


def _rules(terms: AgreementTerms, language: Language) -> dict[str, str]:
    """When each dated duty falls due, in words, while the signing date is unknown."""
    onboarding = format_days(terms.onboarding_days, language)
    notice = format_days(terms.supply_end_notice_days, language)
    data_return = format_days(terms.data_return_days, language)
    if language == "zh":
        maintenance = f"签署生效满 {terms.maintenance_years} 年之日的前一日"
        return {
            "onboarding": f"签署生效后 {onboarding}内",
            "maintenance": maintenance,
            "support_end": f"安全维护期届满（{maintenance}）前 {notice}",
            "data_return": f"协议期满（签署生效满 {terms.term_years} 年）后 {data_return}内",
            "annual": "每年一次，首次为签署生效满 1 年之日",
        }
    maintenance = f"the last day of {terms.maintenance_years} years after signing"
    return {
        "onboarding": f"{onboarding} after signing",
        "maintenance": maintenance,
        "support_end": f"{notice} before the security maintenance period ends ({maintenance})",
        "data_return": f"within {data_return} after the term ends ({terms.term_years} years "
        "after signing)",
        "annual": "every year from the first anniversary of signing",
    }


def derive_obligations(
    purchase: PurchaseFacts, terms: AgreementTerms, language: str, effective: date | None = None
) -> tuple[Obligation, ...]:
    """Dated duties first (by due date, then code), then duties triggered by events.

    ``effective`` is the day the agreement took effect (its signing, clause 16.3). Duties due
    "within N days of taking effect" (clauses 3.2, 11.1, 13.2) run from it; before it is known
    they have no date, only a rule ("30 days after signing"): a draft is never born overdue.
    """
    lang = check_language(language)
    rules = _rules(terms, lang)
    t = resolve_terms(terms, effective)
    onboarding = effective + timedelta(days=t.onboarding_days) if effective else None
    first_anniversary = add_years(t.term_start, 1) if t.term_start else None
    support_end = (
        t.maintenance_end - timedelta(days=t.supply_end_notice_days) if t.maintenance_end else None
    )
    data_return = t.term_end + timedelta(days=t.data_return_days) if t.term_end else None
    once, annual = Recurrence.ONCE, Recurrence.ANNUAL

    def onboard(code: str, clause_id: str) -> Obligation:
        return _make(code, clause_id, lang, once, due=onboarding, rule=rules["onboarding"])

    # In the order the default terms make them fall due, so the schedule of an unsigned draft
    # reads chronologically too; dated ones are then sorted by date (stable for the rest).
    dated = [
        onboard("CONTINUITY_PLAN", "supply_continuity"),
        *([onboard("DATA_LOCATIONS", "data_localisation")] if purchase.entrusts_data else []),
        onboard("PERSONNEL_CHECKS", "personnel"),
        *([onboard("REMOTE_ACCESS", "no_backdoor")] if purchase.remote_maintenance else []),
        onboard("SBOM_INITIAL", "audit_sbom"),
        _make(
            "ATTESTATION", "compliance_certification", lang, annual,
            due=first_anniversary, until=t.term_end, rule=rules["annual"],
        ),
        _make(
            "SBOM_ANNUAL", "audit_sbom", lang, annual,
            due=first_anniversary, until=t.maintenance_end, rule=rules["annual"],
        ),
        _make(
            "DATA_RETURN", "data_protection", lang, once,
            due=data_return, rule=rules["data_return"],
        ),
        _make(
            "SUPPORT_END_NOTICE", "supply_continuity", lang, once,
            due=support_end, rule=rules["support_end"],
        ),
        _make(
            "MAINTENANCE_PERIOD", "technical_support", lang, once,
            due=t.maintenance_end, rule=rules["maintenance"],
        ),
    ]  # fmt: skip
    dated.sort(key=lambda ob: (ob.due is None, ob.due or date.max, ob.code if ob.due else ""))

    def event(code: str, clause_id: str, *, hours: int = 0, days: int = 0) -> Obligation:
        return _make(code, clause_id, lang, Recurrence.ON_EVENT, hours=hours, days=days)

    events = [
        event("VULN_NOTICE", "vulnerability", hours=terms.vulnerability_notice_hours),
        event("VULN_FIX_CRITICAL", "vulnerability", days=terms.remediation_days_critical),
        event("VULN_FIX_HIGH", "vulnerability", days=terms.remediation_days_high),
        event("VULN_FIX_OTHER", "vulnerability", days=terms.remediation_days_other),
        event("SBOM_RELEASE", "audit_sbom", days=terms.sbom_update_days),
        event("INCIDENT_NOTICE", "incident", hours=terms.incident_notice_hours),
        event("CHANGE_NOTICE", "changes_subcontracting", days=terms.change_notice_days),
    ]
    return (*dated, *events)


def due_dates(obligation: Obligation) -> tuple[date, ...]:
    """Every date a dated obligation falls due; event-triggered ones have none in advance.

    Annual duties recur on the month and day of ``due`` up to and including ``until``.
    """
    if obligation.due is None or obligation.recurrence is Recurrence.ON_EVENT:
        return ()
    if obligation.recurrence is Recurrence.ONCE or obligation.until is None:
        return (obligation.due,)
    dates: list[date] = []
    year = 0
    while (nxt := add_years(obligation.due, year)) <= obligation.until:
        dates.append(nxt)
        year += 1
    return tuple(dates)
