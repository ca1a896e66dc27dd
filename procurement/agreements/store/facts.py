"""Stored records -> the frozen facts an agreement is rendered from, with the caller's overrides.

Overrides are a flat mapping keyed by fact path (``operator.representative``,
``terms.governing_place``, ``contacts``...). They fill facts the database does not hold (the
operator's legal representative, the update channel, the court) or replace stored text for this
one agreement. Names, money and dates always come from the records: change the record and
regenerate, so the agreement and the purchase never disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.agreements import labels
from procurement.agreements.chinese import CHINESE_SOURCES, english_only_facts, has_chinese
from procurement.agreements.context import (
    FIELD_LABELS,
    AgreementFacts,
    AgreementTerms,
    OperatorParty,
    Person,
    ProviderParty,
    PurchaseFacts,
    missing_facts,
)
from procurement.agreements.formatting import Language
from procurement.agreements.messages import HINT_IDS, said
from procurement.agreements.messages import TEMPLATES as MESSAGES
from procurement.agreements.terms import ContactInput, default_terms
from procurement.enums import PersonRole
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.models import CiiSystem, Operator, Purchase, ResponsiblePerson, Vendor
from procurement.texts import Param, Text
from procurement.validation import Checker

# Text facts a caller may override, with their longest accepted length.
TEXT_OVERRIDES: Mapping[str, int] = {
    "agreement_number": 64,
    "operator.name_zh": 200,  # Chinese agreements only: the name when none is recorded
    "operator.address": 300,
    "operator.representative": 120,
    "vendor.name_zh": 200,
    "vendor.registration_id": 64,
    "vendor.address": 300,
    "vendor.contact": 300,
    "purchase.title_zh": 300,
    "purchase.description": 2000,
    "purchase.cii_system": 200,
    "purchase.update_channel": 500,
    # Entrusted processing (PIPL Art. 21, Network Data Security Management Regulations Art. 12).
    "purchase.processing_purpose": 1000,
    "purchase.processing_method": 1000,
    "purchase.personal_information_categories": 1000,
    "purchase.important_data_scope": 1000,
}
_CHINESE_ONLY = frozenset({"operator.name_zh", "vendor.name_zh", "purchase.title_zh"})
_TERMS = {f.name: f for f in dataclasses.fields(AgreementTerms)}
_TERM_DATES = frozenset({"term_start", "term_end", "maintenance_end"})
MAX_CONTACTS = 10

# Where a missing fact is usually recorded, for the "what to fill in" message.
# Where a missing fact is recorded (procurement/agreements/messages.py), by its path.
_HINTS = {
    "vendor.registration_id": "agreements.hint.vendor",
    "vendor.address": "agreements.hint.vendor",
    "vendor.contact": "agreements.hint.vendor",
    "purchase.description": "agreements.hint.purchase",
    "purchase.cii_system": "agreements.hint.cii_system",
}


def _camel(segment: str) -> str:
    head, *rest = segment.split("_")
    return head + "".join(part.title() for part in rest)


def client_path(path: str) -> str:
    """``vendor.registration_id`` -> ``overrides.vendor.registrationId`` (the input field)."""
    return "overrides." + ".".join(_camel(s) for s in path.split("."))


def validate_overrides(raw: Mapping[str, Any], check: Checker) -> dict[str, Any]:
    """Checked overrides (blank text means "no override"); problems go into ``check``."""
    out: dict[str, Any] = {}
    for path, value in raw.items():
        field = client_path(path)
        if path in TEXT_OVERRIDES:
            text = check.text(field, value, max_len=TEXT_OVERRIDES[path], required=False)
            if text is not None and path in _CHINESE_ONLY and not has_chinese(text):
                check.fail(field, Text("agreements.error.chinese_only", {}), templates=MESSAGES)
            elif text is not None:
                out[path] = text
        elif path == "contacts":
            contacts = _validate_contacts(value, check)
            if contacts is not None:
                out[path] = contacts
        elif path.startswith("terms.") and path[6:] in _TERMS:
            if value is not None:
                out[path] = value  # typed and range-checked by default_terms
        else:
            check.fail(field, Text("agreements.error.not_overridable", {}), templates=MESSAGES)
    return out


def _validate_contacts(value: Any, check: Checker) -> tuple[ContactInput, ...] | None:
    if value is None:
        return None
    items = list(value)
    if len(items) > MAX_CONTACTS:
        too_many = Text("agreements.error.too_many_contacts", {"max": MAX_CONTACTS})
        check.fail("overrides.contacts", too_many, ErrorCode.OUT_OF_RANGE, MESSAGES)
        return None
    out: list[ContactInput] = []
    for i, item in enumerate(items):
        name = check.text(f"overrides.contacts.{i}.name", item.name, max_len=120)
        role = check.text(f"overrides.contacts.{i}.role", item.role, max_len=120)
        contact = check.text(
            f"overrides.contacts.{i}.contact", item.contact, max_len=200, required=False
        )
        if name is not None and role is not None:
            out.append(ContactInput(name, role, contact))
    return tuple(out)


def overrides_to_json(overrides: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in overrides.items():
        if path == "contacts":
            out[path] = [dataclasses.asdict(c) for c in value]
        elif isinstance(value, date | Decimal):
            out[path] = str(value)
        else:
            out[path] = value
    return out


def overrides_from_json(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`overrides_to_json` (to reuse a previous agreement's overrides)."""
    out: dict[str, Any] = {}
    for path, value in stored.items():
        name = path[6:] if path.startswith("terms.") else ""
        if path == "contacts":
            out[path] = tuple(ContactInput(**c) for c in value)
        elif name in _TERM_DATES and isinstance(value, str):
            out[path] = date.fromisoformat(value)
        elif name == "liquidated_damages_percent" and isinstance(value, str):
            out[path] = Decimal(value)
        else:
            out[path] = value
    return out


@dataclass(frozen=True, slots=True)
class PurchaseRecords:
    purchase: Purchase
    operator: Operator
    vendor: Vendor
    cii_system: CiiSystem | None
    persons: Sequence[ResponsiblePerson]


async def load_records(session: AsyncSession, purchase: Purchase) -> PurchaseRecords:
    operator = await session.get(Operator, purchase.operator_id)
    vendor = await session.get(Vendor, purchase.vendor_id)
    assert operator is not None and vendor is not None  # foreign keys
    system = (
        await session.get(CiiSystem, purchase.cii_system_id)
        if purchase.cii_system_id is not None
        else None
    )
    persons = await session.scalars(
        select(ResponsiblePerson)
        .where(ResponsiblePerson.purchase_id == purchase.id)
        .order_by(ResponsiblePerson.id)
    )
    return PurchaseRecords(purchase, operator, vendor, system, list(persons))


def _vendor_contact(vendor: Vendor) -> str:
    parts = (vendor.contact_name, vendor.contact_email, vendor.contact_phone)
    return ", ".join(p for p in parts if p)


def _zh(language: Language, override: str | None, recorded: str | None, name: str) -> str:
    """The Chinese name in a Chinese agreement (override, then record), else the name."""
    if language == "zh":
        return override or recorded or name
    return name


def _default_contacts(records: PurchaseRecords, language: Language) -> tuple[Person, ...]:
    """The purchase's person in charge, and the vendor's contact person when known."""
    contacts = [
        Person(p.name, labels.operator_contact_role(p.position, language))
        for p in records.persons
        if p.role is PersonRole.PERSON_IN_CHARGE
    ]
    vendor = records.vendor
    if vendor.contact_name:
        reach = ", ".join(x for x in (vendor.contact_email, vendor.contact_phone) if x)
        contacts.append(Person(vendor.contact_name, labels.provider_contact_role(language), reach))
    return tuple(contacts)


def _terms(
    purchase: PurchaseFacts, overrides: Mapping[str, Any]
) -> tuple[AgreementTerms, list[FieldError]]:
    """The terms, and the problems with the term overrides. With problems, the default terms
    (and the court, if given as text) stand in, so the other missing facts can still be listed."""
    given = {p[6:]: v for p, v in overrides.items() if p.startswith("terms.")}
    try:
        return default_terms(purchase, given), []
    except InputError as error:
        errors = [
            FieldError(client_path(e.field) if e.field else None, e.message, e.code)
            for e in error.errors
        ]
    place = given.get("governing_place")
    fallback = default_terms(purchase)
    if isinstance(place, str):
        fallback = dataclasses.replace(fallback, governing_place=place)
    return fallback, errors


def assemble_facts(
    records: PurchaseRecords, language: Language, overrides: Mapping[str, Any], number: str
) -> tuple[AgreementFacts, list[FieldError]]:
    """The frozen facts, and the problems with the term overrides (empty when none)."""
    o = overrides
    p, op, v = records.purchase, records.operator, records.vendor
    zh_label, en_label = labels.CATEGORY_LABELS[p.category]
    system = records.cii_system
    system_name = _zh(language, None, system.name_zh, system.name) if system else ""
    purchase = PurchaseFacts(
        title=_zh(language, o.get("purchase.title_zh"), p.title_zh, p.title),
        description=o.get("purchase.description", p.description or ""),
        category_code=labels.category_code(p.category),
        category_label_zh=zh_label,
        category_label_en=en_label,
        contract_value=p.contract_value,
        currency=p.currency,
        tax_included=p.tax_included,
        contract_date=p.contract_date,
        cii_system=o.get("purchase.cii_system", system_name),
        handles_personal_information=p.handles_personal_information,
        personal_information_volume=p.personal_information_subjects or 0,
        handles_important_data=p.handles_important_data,
        handles_core_data=p.handles_core_data,
        remote_maintenance=p.vendor_remote_maintenance,
        update_channel=o.get("purchase.update_channel", ""),
        single_source=p.single_source,
        processing_purpose=o.get("purchase.processing_purpose", ""),
        processing_method=o.get("purchase.processing_method", ""),
        personal_information_categories=o.get("purchase.personal_information_categories", ""),
        important_data_scope=o.get("purchase.important_data_scope", ""),
    )
    contacts = o.get("contacts")
    terms, errors = _terms(purchase, o)
    facts = AgreementFacts(
        agreement_number=o.get("agreement_number", number),
        operator=OperatorParty(
            name=_zh(language, o.get("operator.name_zh"), op.name_zh, op.name),
            credit_code=op.credit_code,
            address=o.get("operator.address", op.address or ""),
            representative=o.get("operator.representative", ""),
        ),
        vendor=ProviderParty(
            name=_zh(language, o.get("vendor.name_zh"), v.name_zh, v.name),
            country=labels.country_name(v.country, language),
            registration_id=o.get("vendor.registration_id", v.registration_id or ""),
            address=o.get("vendor.address", v.address or ""),
            contact=o.get("vendor.contact", _vendor_contact(v)),
        ),
        purchase=purchase,
        terms=terms,
        contacts=(
            tuple(Person(c.name, c.role, c.contact or "") for c in contacts)
            if contacts is not None
            else _default_contacts(records, language)
        ),
    )
    return facts, errors


def missing_fact_errors(
    facts: AgreementFacts, fields: Sequence[str], language: Language
) -> list[FieldError]:
    """:func:`missing_facts`, with each error pointing at the override input that fills it."""
    out: list[FieldError] = []
    for error in missing_facts(facts, fields, language):
        path = error.field or ""
        root = path.split(".", 1)[0]
        overridable = path in TEXT_OVERRIDES or root in ("contacts", "terms")
        if not overridable:
            out.append(error)
            continue
        hint = Text(_HINTS.get(path, "agreements.hint.overrides"), {})
        missing: Param = error.text if error.text is not None else error.message
        text = Text("agreements.with_hint", {"missing": missing, "hint": hint})
        out.append(FieldError.said(client_path(path), text, error.code, MESSAGES))
    return out


def processing_errors(facts: AgreementFacts, fields: Sequence[str]) -> list[FieldError]:
    """The scope of entrusted data the template states (PIPL Art. 21: categories of personal
    information; Regulations Art. 12: scope), required only where the purchase entrusts it."""
    if "text.processing_scope" not in fields:
        return []  # a template (version 1, an upload) without the entrusted-processing clause
    p, out = facts.purchase, []
    if p.handles_personal_information and not p.personal_information_categories.strip():
        out.append(
            said(
                client_path("purchase.personal_information_categories"),
                "agreements.error.pi_categories",
                ErrorCode.REQUIRED,
            )
        )
    if (p.handles_important_data or p.handles_core_data) and not p.important_data_scope.strip():
        out.append(
            said(
                client_path("purchase.important_data_scope"),
                "agreements.error.data_scope",
                ErrorCode.REQUIRED,
            )
        )
    return out


def chinese_errors(facts: AgreementFacts) -> list[FieldError]:
    """A Chinese agreement refuses facts written in English only, naming the input that gives
    the Chinese text (or the record that holds it)."""
    return english_only_errors(english_only_facts(facts))


def english_only_errors(found: Iterable[tuple[str, str]]) -> list[FieldError]:
    """The refusals of (fact path, value) pairs written in English only."""
    out: list[FieldError] = []
    for path, value in found:
        source, hint = CHINESE_SOURCES.get(path, (path, "give it in Chinese"))
        label = FIELD_LABELS.get(path, f"the security contact's role ({path})")
        # The API's English starts with the label capitalised; the console renders the id.
        text = Text(
            "agreements.error.english_only",
            {
                "label": Text(f"agreements.field.{path}", {}) if path in FIELD_LABELS else label,
                "value": repr(value),
                "hint": Text(HINT_IDS[hint], {}) if hint in HINT_IDS else hint,
                "field": client_path(source),
            },
        )
        out.append(
            FieldError(
                client_path(source),
                f"{label[0].upper()}{label[1:]} is in English only ({value!r}); the Chinese "
                f"text prevails (clause 16.4) and must be in Chinese: {hint} or give "
                f"{client_path(source)}.",
                ErrorCode.REQUIRED,
                text,
            )
        )
    return out


def facts_to_json(facts: AgreementFacts) -> dict[str, Any]:
    """The facts as plain JSON (Decimal and dates as exact strings), for the stored snapshot."""

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal | date):
            return str(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    result: dict[str, Any] = plain(dataclasses.asdict(facts))
    return result
