"""No English in the Chinese text: which facts of a Chinese agreement are written in Latin
letters only, and where the caller gives their Chinese text.

A Chinese agreement is the version that prevails (clause 16.4), so a party's name, the product,
the CII system or the court written in English only would make the binding text incomplete.
Personal names, e-mail addresses, phone numbers and registration numbers are identifiers and
stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from procurement.agreements.context import AgreementFacts

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[A-Za-z]")

# Fact path -> (override input that gives the Chinese text, where it is usually recorded).
CHINESE_SOURCES: Mapping[str, tuple[str, str]] = {
    "operator.name": ("operator.name_zh", "record the operator's nameZh"),
    "operator.address": ("operator.address", "give the address in Chinese"),
    "vendor.name": ("vendor.name_zh", "record the vendor's nameZh (updateVendor)"),
    "vendor.address": ("vendor.address", "give the address in Chinese"),
    "purchase.title": ("purchase.title_zh", "record the purchase's titleZh (updatePurchase)"),
    "purchase.description": ("purchase.description", "give the description in Chinese"),
    "purchase.cii_system": ("purchase.cii_system", "record the CII system's nameZh"),
    "purchase.update_channel": ("purchase.update_channel", "describe it in Chinese"),
    "purchase.processing_purpose": ("purchase.processing_purpose", "give it in Chinese"),
    "purchase.processing_method": ("purchase.processing_method", "give it in Chinese"),
    "purchase.personal_information_categories": (
        "purchase.personal_information_categories",
        "give them in Chinese",
    ),
    "purchase.important_data_scope": ("purchase.important_data_scope", "give it in Chinese"),
    "terms.governing_place": ("terms.governing_place", "give the place in Chinese"),
}


def has_chinese(text: str) -> bool:
    return _CJK.search(text) is not None


def english_only(text: str) -> bool:
    """Latin letters and not one Chinese character ("Core routers", not "核心路由器 (NE40E)")."""
    return _LATIN.search(text) is not None and not has_chinese(text)


def english_only_facts(facts: AgreementFacts) -> list[tuple[str, str]]:
    """(fact path, value) of every fact in :data:`CHINESE_SOURCES` written in English only."""
    out: list[tuple[str, str]] = []
    for path in CHINESE_SOURCES:
        root, field = path.split(".")
        value = getattr(getattr(facts, root), field)
        if isinstance(value, str) and english_only(value):
            out.append((path, value))
    out.extend(
        (f"contacts.{i}.role", person.role)
        for i, person in enumerate(facts.contacts)
        if english_only(person.role)
    )
    return out
