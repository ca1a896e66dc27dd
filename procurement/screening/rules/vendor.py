"""Vendor rules: restriction lists (Art. 10(4) for the vendor and its parent, 10(3) for component
suppliers) and foreign location or control (Art. 10(3))."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from procurement.screening.facts import RestrictionEntry, ScreeningFacts
from procurement.screening.model import Art10Factor, Finding, Ownership, Severity
from procurement.screening.rules.common import capped, finding, missing_fact, preview
from procurement.screening.ruleset import RuleSet

# Legal-form words dropped from the end of a name, so "Acme Co., Ltd." matches "ACME Co Ltd".
_LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "ag",
        "sa",
        "plc",
        "bv",
        "nv",
        "kk",
        "srl",
        "spa",
        "oy",
        "ab",
        "pte",
        "pty",
    ]
)
_CN_LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")


def normalise_party_name(name: str) -> str:
    """Case-, width- and punctuation-insensitive key; aliases must be listed, nothing fuzzier."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    for suffix in _CN_LEGAL_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    tokens = re.findall(r"\w+", text)
    while len(tokens) > 1 and tokens[-1] in _LEGAL_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


@lru_cache(maxsize=8)
def _index(entries: tuple[RestrictionEntry, ...]) -> Mapping[str, list[RestrictionEntry]]:
    # Cached: screening 10,000 purchases against one list must not normalise it 10,000 times.
    index: dict[str, list[RestrictionEntry]] = defaultdict(list)
    for entry in entries:
        for name in (entry.subject, *entry.aliases):
            if key := normalise_party_name(name):
                index[key].append(entry)
    return index


def _entry_evidence(entries: Sequence[RestrictionEntry]) -> list[dict[str, Any]]:
    unique = sorted(set(entries), key=lambda e: (e.list_name, e.subject, str(e.listed_on)))
    return [
        {
            "subject": e.subject,
            "list_name": e.list_name,
            "source": e.source,
            "listed_on": e.listed_on.isoformat() if e.listed_on else None,
            "reason": e.reason,
        }
        for e in unique
    ]


def _describe(entries: Sequence[RestrictionEntry]) -> str:
    parts = sorted(
        {
            f"{e.list_name} ({e.listed_on.isoformat() if e.listed_on else 'date unknown'})"
            for e in entries
        }
    )
    return "; ".join(parts)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def restriction_list(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    vendor = facts.vendor
    index = _index(facts.restriction_list)
    vendor_hits = list(vendor.restrictions)
    vendor_hits += index.get(normalise_party_name(vendor.name), [])
    parent_hits: list[RestrictionEntry] = []
    if vendor.ultimate_parent_name:
        parent_hits = index.get(normalise_party_name(vendor.ultimate_parent_name), [])
    out: list[Finding] = []
    if vendor_hits or parent_hits:
        who = []
        if vendor_hits:
            who.append(f"vendor {vendor.name} is listed on {_describe(vendor_hits)}")
        if parent_hits:
            who.append(
                f"its ultimate parent {vendor.ultimate_parent_name} is listed on "
                f"{_describe(parent_hits)}"
            )
        out.append(
            finding(
                "RESTRICTION_LIST",
                Severity.CRITICAL,
                f"{_sentence('; '.join(who))}. A listing is a finding on the provider's "
                "compliance with Chinese laws and regulations (Art. 10(4)), and buying from a "
                "listed party may itself breach the measure behind the list. Check the listing's "
                "scope before contracting; if it covers this product, do not proceed without "
                "legal sign-off.",
                {
                    "vendor_id": vendor.id,
                    "vendor_name": vendor.name,
                    "ultimate_parent_name": vendor.ultimate_parent_name,
                    "vendor_entries": _entry_evidence(vendor_hits),
                    "parent_entries": _entry_evidence(parent_hits),
                },
            )
        )
    out += _supplier_hits(facts, index)
    return out


def _supplier_hits(
    facts: ScreeningFacts, index: Mapping[str, list[RestrictionEntry]]
) -> list[Finding]:
    if not index:
        return []
    # Group spellings of one party ("Acme Inc." / "ACME INC") into one finding.
    spellings: dict[str, set[str]] = defaultdict(set)
    for sbom in facts.sboms:
        for name in (*sbom.component_suppliers, *(c.supplier for c in sbom.components)):
            if name and (key := normalise_party_name(name)) in index:
                spellings[key].add(name)
    out = []
    for key in sorted(spellings):
        entries = index[key]
        supplier = " / ".join(sorted(spellings[key]))
        purls = [
            c.purl
            for sbom in facts.sboms
            for c in sbom.components
            if c.supplier and normalise_party_name(c.supplier) == key
        ]
        where = f" in components {preview(purls)}" if purls else ""
        out.append(
            finding(
                "RESTRICTION_LIST",
                Severity.HIGH,
                f"SBOM component supplier {supplier} is listed on {_describe(entries)}{where}. "
                "A listed party in the supply chain makes the product's supply channel "
                "unreliable (Art. 10(3)): ask the vendor whether the component can be replaced "
                "and how it is supported.",
                {
                    "suppliers": sorted(spellings[key]),
                    "entries": _entry_evidence(entries),
                    "component_purls": capped(purls),
                    "component_count": len(set(purls)),
                },
                factor=Art10Factor.SUPPLY_CHAIN,
            )
        )
    return out


def _abroad(country: str | None) -> bool:
    return country is not None and country != "CN"


def foreign_control(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    v = facts.vendor
    reasons: list[str] = []
    if _abroad(v.country):
        reasons.append(f"the vendor is located in {v.country}")
    if _abroad(v.ultimate_parent_country):
        parent = f" {v.ultimate_parent_name}" if v.ultimate_parent_name else ""
        reasons.append(f"its ultimate parent{parent} is in {v.ultimate_parent_country}")
    if v.ownership is Ownership.FOREIGN_CONTROLLED:
        reasons.append("its ownership is recorded as foreign-controlled")
    evidence = {
        "vendor_id": v.id,
        "vendor_name": v.name,
        "country": v.country,
        "ultimate_parent_country": v.ultimate_parent_country,
        "ultimate_parent_name": v.ultimate_parent_name,
        "ownership": str(v.ownership) if v.ownership else None,
    }
    out: list[Finding] = []
    if reasons:
        out.append(
            finding(
                "FOREIGN_CONTROL",
                Severity.HIGH,
                f"Vendor {v.name}: {'; '.join(reasons)} (outside mainland China). Supply and "
                "support can be interrupted by political, diplomatic or trade measures. Check "
                "for an alternative source and make sure the contract carries the Art. 6 "
                "commitments (no unjustified interruption of supply or support).",
                evidence,
            )
        )
    elif v.ownership is Ownership.JOINT_VENTURE:
        out.append(
            finding(
                "FOREIGN_CONTROL",
                Severity.LOW,
                f"Vendor {v.name} is a joint venture registered in {v.country}. Record the "
                "foreign shareholding and who controls the venture; reclassify as "
                "foreign-controlled if a foreign party does.",
                evidence,
            )
        )
    for path, value, question in (
        ("vendor.country", v.country, "where the vendor is located"),
        (
            "vendor.ultimate_parent_country",
            v.ultimate_parent_country,
            "where the vendor's ultimate parent is located",
        ),
        ("vendor.ownership", v.ownership, "the vendor's ownership"),
    ):
        if value is None:
            out.append(
                missing_fact(
                    "FOREIGN_CONTROL",
                    path,
                    question,
                    "foreign location or control is a supply-interruption risk (Art. 10(3)).",
                )
            )
    return out
