"""Purchase rules: remote access (Art. 10(1)), data (10(5)), continuity (10(2)), certification
(10(4), CSL Art. 23), value (10(7))."""

from __future__ import annotations

from procurement.enums import PurchaseCategory
from procurement.screening.facts import ScreeningFacts
from procurement.screening.model import Finding, Severity
from procurement.screening.rules.common import category_text, finding, missing_fact, text
from procurement.screening.ruleset import RuleSet


def remote_access(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    p = facts.purchase
    out: list[Finding] = []
    if p.vendor_remote_maintenance:
        out.append(
            finding(
                "REMOTE_ACCESS",
                Severity.HIGH,
                text("screening.remote_access.maintenance", purchase=p.id),
                {"purchase_id": p.id, "vendor_remote_maintenance": True},
            )
        )
    if p.vendor_update_channel:
        out.append(
            finding(
                "REMOTE_ACCESS",
                Severity.HIGH,
                text("screening.remote_access.update_channel", purchase=p.id),
                {"purchase_id": p.id, "vendor_update_channel": True},
            )
        )
    why = text("screening.remote_access.why")
    if p.vendor_remote_maintenance is None:
        out.append(
            missing_fact(
                "REMOTE_ACCESS",
                "purchase.vendor_remote_maintenance",
                text("screening.remote_access.q_maintenance"),
                why,
            )
        )
    if p.vendor_update_channel is None:
        out.append(
            missing_fact(
                "REMOTE_ACCESS",
                "purchase.vendor_update_channel",
                text("screening.remote_access.q_update_channel"),
                why,
            )
        )
    return out


def data_exposure(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    p = facts.purchase
    threshold = ruleset.thresholds.personal_information_subjects
    out: list[Finding] = []
    if p.handles_core_data:
        out.append(
            finding(
                "DATA_EXPOSURE",
                Severity.CRITICAL,
                text("screening.data.core", purchase=p.id),
                {"purchase_id": p.id, "handles_core_data": True},
            )
        )
    if p.handles_important_data:
        out.append(
            finding(
                "DATA_EXPOSURE",
                Severity.HIGH,
                text("screening.data.important", purchase=p.id),
                {"purchase_id": p.id, "handles_important_data": True},
            )
        )
    subjects = p.personal_information_subjects
    if p.handles_personal_information and subjects is not None:
        above = subjects > threshold
        out.append(
            finding(
                "DATA_EXPOSURE",
                Severity.HIGH if above else Severity.INFO,
                text(
                    "screening.data.personal_above"
                    if above
                    else "screening.data.personal_not_above",
                    purchase=p.id,
                    subjects=f"{subjects:,}",
                    threshold=f"{threshold:,}",
                    version=ruleset.version,
                ),
                {
                    "purchase_id": p.id,
                    "personal_information_subjects": subjects,
                    "threshold": threshold,
                },
            )
        )
    why = text("screening.data.why")
    for path, value, question in (
        ("purchase.handles_core_data", p.handles_core_data, "screening.data.q_core"),
        (
            "purchase.handles_important_data",
            p.handles_important_data,
            "screening.data.q_important",
        ),
        (
            "purchase.handles_personal_information",
            p.handles_personal_information,
            "screening.data.q_personal",
        ),
    ):
        if value is None:
            out.append(missing_fact("DATA_EXPOSURE", path, text(question), why))
    if p.handles_personal_information and subjects is None:
        out.append(
            missing_fact(
                "DATA_EXPOSURE",
                "purchase.personal_information_subjects",
                text("screening.data.q_subjects"),
                text("screening.data.why_subjects", threshold=f"{threshold:,}"),
            )
        )
    return out


def supply_continuity(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    p = facts.purchase
    out: list[Finding] = []
    evidence = {
        "purchase_id": p.id,
        "single_source": p.single_source,
        "business_critical_cii_system": p.business_critical_cii_system,
    }
    if p.single_source and p.business_critical_cii_system:
        out.append(
            finding(
                "SUPPLY_CONTINUITY",
                Severity.HIGH,
                text("screening.continuity.critical", purchase=p.id),
                evidence,
            )
        )
    elif p.single_source and p.business_critical_cii_system is None:
        out.append(
            finding(
                "SUPPLY_CONTINUITY",
                Severity.MEDIUM,
                text("screening.continuity.unknown_critical", purchase=p.id),
                evidence,
                missing=("purchase.business_critical_cii_system",),
            )
        )
    elif p.single_source:
        out.append(
            finding(
                "SUPPLY_CONTINUITY",
                Severity.LOW,
                text("screening.continuity.not_critical", purchase=p.id),
                evidence,
            )
        )
    if p.single_source is None:
        out.append(
            missing_fact(
                "SUPPLY_CONTINUITY",
                "purchase.single_source",
                text("screening.continuity.q_single_source"),
                text("screening.continuity.why"),
            )
        )
    return out


def purchase_value(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    p = facts.purchase
    threshold = ruleset.thresholds.value_cny
    if p.value_cny is None:
        return [
            missing_fact(
                "PURCHASE_VALUE",
                "purchase.value_cny",
                text("screening.value.q_value"),
                # the conversion's own reason is a sentence of the exposure domain, in English
                p.value_cny_missing_reason or text("screening.value.why"),
            )
        ]
    if p.value_cny <= threshold:
        return []
    return [
        finding(
            "PURCHASE_VALUE",
            Severity.MEDIUM,
            text(
                "screening.value.above",
                purchase=p.id,
                value=f"{p.value_cny:,.2f}",
                threshold=f"{threshold:,.2f}",
                version=ruleset.version,
            ),
            {"purchase_id": p.id, "value_cny": str(p.value_cny), "threshold": str(threshold)},
        )
    ]


# Categories the catalogue of critical network equipment and dedicated cybersecurity products
# covers (routers, switches, servers; firewalls, intrusion detection and the like).
CATALOGUED = frozenset(
    {
        PurchaseCategory.CORE_NETWORK_EQUIPMENT,
        PurchaseCategory.HIGH_PERFORMANCE_COMPUTER_SERVER,
        PurchaseCategory.NETWORK_SECURITY_EQUIPMENT,
    }
)


def certification(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    """An INFO request for evidence, not a risk: unknown is not uncertified, so neither the
    score nor the verdict moves until someone learns the product has no certificate."""
    p = facts.purchase
    if p.category not in CATALOGUED or p.certification_reference:
        return []
    return [
        finding(
            "CERTIFICATION",
            Severity.INFO,
            text(
                "screening.certification.missing", purchase=p.id, category=category_text(p.category)
            ),
            {"purchase_id": p.id, "category": str(p.category), "certification_reference": None},
            also_cites="CSL Art. 23",
        )
    ]
