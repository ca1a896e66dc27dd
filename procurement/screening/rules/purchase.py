"""Purchase rules: remote access (Art. 10(1)), data (10(5)), continuity (10(2)), certification
(10(4), CSL Art. 23), value (10(7))."""

from __future__ import annotations

from procurement.enums import PurchaseCategory
from procurement.screening.facts import ScreeningFacts
from procurement.screening.model import CATEGORY_LABELS, Finding, Severity
from procurement.screening.rules.common import finding, missing_fact
from procurement.screening.ruleset import RuleSet


def remote_access(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    p = facts.purchase
    out: list[Finding] = []
    if p.vendor_remote_maintenance:
        out.append(
            finding(
                "REMOTE_ACCESS",
                Severity.HIGH,
                f"Purchase {p.id}: the vendor maintains the product remotely, i.e. has a path into "
                "the CII system that could be used to control, interfere with or disable it. "
                "Require on-site or operator-controlled, logged and time-limited access, and the "
                "Art. 6 commitment not to control or manipulate user equipment illegally.",
                {"purchase_id": p.id, "vendor_remote_maintenance": True},
            )
        )
    if p.vendor_update_channel:
        out.append(
            finding(
                "REMOTE_ACCESS",
                Severity.HIGH,
                f"Purchase {p.id}: the vendor delivers updates or firmware into the CII system "
                "through its own channel, so code the operator has not vetted can reach the "
                "system. Require updates to pass the operator's verification (signatures, "
                "staging) before installation.",
                {"purchase_id": p.id, "vendor_update_channel": True},
            )
        )
    why = "vendor access into the CII system is a control risk (Art. 10(1))."
    if p.vendor_remote_maintenance is None:
        out.append(
            missing_fact(
                "REMOTE_ACCESS",
                "purchase.vendor_remote_maintenance",
                "whether the vendor maintains or accesses the product remotely",
                why,
            )
        )
    if p.vendor_update_channel is None:
        out.append(
            missing_fact(
                "REMOTE_ACCESS",
                "purchase.vendor_update_channel",
                "whether the vendor pushes updates into the CII system",
                why,
            )
        )
    return out


def data_exposure(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    p = facts.purchase
    threshold = ruleset.thresholds.personal_information_subjects
    out: list[Finding] = []
    act = (
        "Check where the data is stored and who can reach it, and require it to stay in China "
        "with no vendor access without the operator's approval."
    )
    if p.handles_core_data:
        out.append(
            finding(
                "DATA_EXPOSURE",
                Severity.CRITICAL,
                f"Purchase {p.id} processes core data (核心数据); its theft, leak or transfer "
                f"abroad would harm national security. {act}",
                {"purchase_id": p.id, "handles_core_data": True},
            )
        )
    if p.handles_important_data:
        out.append(
            finding(
                "DATA_EXPOSURE",
                Severity.HIGH,
                f"Purchase {p.id} processes important data (重要数据). {act}",
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
                f"Purchase {p.id} processes personal information of {subjects:,} people, "
                f"{'above' if above else 'not above'} the {threshold:,} threshold for a large "
                f"amount (rule set v{ruleset.version}). "
                + (act if above else "Keep the count up to date."),
                {
                    "purchase_id": p.id,
                    "personal_information_subjects": subjects,
                    "threshold": threshold,
                },
            )
        )
    why = "core, important and large amounts of personal data are an Art. 10(5) risk."
    for path, value, question in (
        ("purchase.handles_core_data", p.handles_core_data, "whether core data is processed"),
        (
            "purchase.handles_important_data",
            p.handles_important_data,
            "whether important data is processed",
        ),
        (
            "purchase.handles_personal_information",
            p.handles_personal_information,
            "whether personal information is processed",
        ),
    ):
        if value is None:
            out.append(missing_fact("DATA_EXPOSURE", path, question, why))
    if p.handles_personal_information and subjects is None:
        out.append(
            missing_fact(
                "DATA_EXPOSURE",
                "purchase.personal_information_subjects",
                "how many people's personal information is processed",
                f"above {threshold:,} it counts as a large amount.",
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
                f"Purchase {p.id} is single-source (no alternative supplier) for a "
                "business-critical CII system: an interruption of supply or support would stop "
                "the business. Require a continuity and exit plan, spare stock or a second "
                "qualified source.",
                evidence,
            )
        )
    elif p.single_source and p.business_critical_cii_system is None:
        out.append(
            finding(
                "SUPPLY_CONTINUITY",
                Severity.MEDIUM,
                f"Purchase {p.id} is single-source, but whether the CII system it serves is "
                "business-critical is not recorded (purchase.business_critical_cii_system). "
                "Record it; if critical, this is a high continuity risk.",
                evidence,
                missing=("purchase.business_critical_cii_system",),
            )
        )
    elif p.single_source:
        out.append(
            finding(
                "SUPPLY_CONTINUITY",
                Severity.LOW,
                f"Purchase {p.id} is single-source for a system recorded as not "
                "business-critical. Confirm that an outage of this product is tolerable.",
                evidence,
            )
        )
    if p.single_source is None:
        out.append(
            missing_fact(
                "SUPPLY_CONTINUITY",
                "purchase.single_source",
                "whether an alternative supplier exists",
                "a single source for a critical system is an Art. 10(2) risk.",
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
                "the purchase value in CNY",
                p.value_cny_missing_reason
                or "the value could not be converted to CNY; record an exchange rate.",
            )
        ]
    if p.value_cny <= threshold:
        return []
    return [
        finding(
            "PURCHASE_VALUE",
            Severity.MEDIUM,
            f"Purchase {p.id} is worth CNY {p.value_cny:,.2f}, above the CNY {threshold:,.2f} "
            f"threshold (rule set v{ruleset.version}): a large purchase usually means deep "
            "dependence of the CII on the product. Weigh it with the other findings.",
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
            f"Purchase {p.id} is {CATEGORY_LABELS[p.category]}: critical network equipment and "
            "dedicated cybersecurity products may be sold or provided only after a security "
            "certification or test under the mandatory national standards (CSL Art. 23 and the "
            "catalogue of such equipment and products). No certificate is recorded: ask the "
            "vendor for the certificate or test report covering this model and record it "
            "(certificationReference).",
            {"purchase_id": p.id, "category": str(p.category), "certification_reference": None},
            also_cites="CSL Art. 23",
        )
    ]
