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
from procurement.screening.rules.common import capped, explain, finding, missing_fact, preview, text
from procurement.screening.ruleset import RuleSet
from procurement.texts import Separator, Text, TextList

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


def _describe(entries: Sequence[RestrictionEntry]) -> TextList:
    """``list (day); other list (date unknown)``, in the order of the English wording."""
    parts: dict[str, Text] = {}
    for e in entries:
        part = (
            text("screening.restriction.entry", list=e.list_name, day=e.listed_on.isoformat())
            if e.listed_on
            else text("screening.restriction.entry_undated", list=e.list_name)
        )
        parts[explain(part)] = part
    return TextList(tuple(parts[k] for k in sorted(parts)), Separator.SEMICOLON)


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
        parent = vendor.ultimate_parent_name or ""
        if vendor_hits and parent_hits:
            message = text(
                "screening.restriction.both",
                vendor=vendor.name,
                vendor_lists=_describe(vendor_hits),
                parent=parent,
                parent_lists=_describe(parent_hits),
            )
        elif vendor_hits:
            message = text(
                "screening.restriction.vendor", vendor=vendor.name, lists=_describe(vendor_hits)
            )
        else:
            message = text(
                "screening.restriction.parent", parent=parent, lists=_describe(parent_hits)
            )
        out.append(
            finding(
                "RESTRICTION_LIST",
                Severity.CRITICAL,
                message,
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
        # Each distinct spelling once: 10,000 components name a few dozen suppliers.
        for name in {*sbom.component_suppliers, *(c.supplier for c in sbom.components)}:
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
        message = (
            text(
                "screening.restriction.supplier_in",
                supplier=supplier,
                lists=_describe(entries),
                components=preview(purls),
            )
            if purls
            else text("screening.restriction.supplier", supplier=supplier, lists=_describe(entries))
        )
        out.append(
            finding(
                "RESTRICTION_LIST",
                Severity.HIGH,
                message,
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
    reasons: list[Text] = []
    if _abroad(v.country):
        reasons.append(text("screening.foreign.located", country=str(v.country)))
    if _abroad(v.ultimate_parent_country):
        country = str(v.ultimate_parent_country)
        reasons.append(
            text("screening.foreign.parent_named", parent=v.ultimate_parent_name, country=country)
            if v.ultimate_parent_name
            else text("screening.foreign.parent", country=country)
        )
    if v.ownership is Ownership.FOREIGN_CONTROLLED:
        reasons.append(text("screening.foreign.owned"))
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
                text(
                    "screening.foreign.abroad",
                    vendor=v.name,
                    reasons=TextList(tuple(reasons), Separator.SEMICOLON),
                ),
                evidence,
            )
        )
    elif v.ownership is Ownership.JOINT_VENTURE:
        out.append(
            finding(
                "FOREIGN_CONTROL",
                Severity.LOW,
                text("screening.foreign.joint_venture", vendor=v.name, country=str(v.country)),
                evidence,
            )
        )
    for path, value, question in (
        ("vendor.country", v.country, "screening.foreign.q_country"),
        (
            "vendor.ultimate_parent_country",
            v.ultimate_parent_country,
            "screening.foreign.q_parent_country",
        ),
        ("vendor.ownership", v.ownership, "screening.foreign.q_ownership"),
    ):
        if value is None:
            out.append(
                missing_fact(
                    "FOREIGN_CONTROL",
                    path,
                    text(question),
                    text("screening.foreign.why"),
                )
            )
    return out
