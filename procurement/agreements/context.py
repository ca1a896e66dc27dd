"""The facts an Article 20 agreement is rendered from, and the read-only context a template sees.

Every class here is a frozen, slotted dataclass of plain values (str, int, bool, Decimal, date,
tuples): a template can read facts but can never reach a database session, a model or a callable
with side effects. :func:`build_context` turns the facts into that view, :func:`missing_facts`
says which facts a template needs that are still empty.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

from procurement.agreements.formatting import (
    Language,
    check_language,
    format_count,
    format_date,
    format_days,
    format_hours,
    format_money,
    format_percent,
    format_yes_no,
)
from procurement.agreements.messages import TEMPLATES
from procurement.enums import Recurrence as Recurrence  # stored by the models
from procurement.errors import ErrorCode, FieldError
from procurement.texts import Param, Text


@dataclass(frozen=True, slots=True)
class OperatorParty:
    """The CII operator (甲方)."""

    name: str
    credit_code: str  # 统一社会信用代码
    address: str
    representative: str  # legal representative (法定代表人)


@dataclass(frozen=True, slots=True)
class ProviderParty:
    """The provider of the network product or service (乙方); the template calls it ``vendor``."""

    name: str
    country: str
    registration_id: str
    address: str
    contact: str


@dataclass(frozen=True, slots=True)
class PurchaseFacts:
    title: str
    description: str
    category_code: str
    category_label_zh: str
    category_label_en: str
    contract_value: Decimal
    currency: str
    tax_included: bool
    contract_date: date
    cii_system: str
    handles_personal_information: bool = False
    personal_information_volume: int = 0  # individuals whose personal information is handled
    handles_important_data: bool = False
    handles_core_data: bool = False
    remote_maintenance: bool = False
    update_channel: str = ""
    single_source: bool = False
    # Entrusted processing (PIPL Art. 21; Network Data Security Management Regulations Art. 12):
    # blank purpose and method take the template's default wording; the scope of the personal
    # information or important data entrusted must be given when the purchase handles it.
    processing_purpose: str = ""
    processing_method: str = ""
    personal_information_categories: str = ""
    important_data_scope: str = ""

    @property
    def entrusts_data(self) -> bool:
        """The provider processes personal information, important or core data for the operator."""
        p = self
        return p.handles_personal_information or p.handles_important_data or p.handles_core_data


@dataclass(frozen=True, slots=True)
class Person:
    """A named security contact listed in the agreement."""

    name: str
    role: str
    contact: str = ""


@dataclass(frozen=True, slots=True)
class Obligation:
    """One duty of the provider that the operator supervises (Art. 20 "监督")."""

    code: str
    clause_id: str
    title: str
    description: str
    recurrence: Recurrence
    due: date | None = None
    until: date | None = None
    # ON_EVENT deadline, in the unit the agreement states it in (one of the two is set).
    window_hours: int = 0
    window_days: int = 0
    # When a dated duty falls due, in words, counted from signing ("30 days after signing"):
    # shown while ``due`` is unknown, i.e. until the agreement takes effect (clause 16.3).
    due_rule: str = ""


@dataclass(frozen=True, slots=True)
class AgreementTerms:
    """Negotiable numbers and dates; ``terms.default_terms`` fills them for a purchase.

    The agreement takes effect on signing (clause 16.3): without an agreed ``term_start`` the term
    and the maintenance period run from that day, ``term_years`` and ``maintenance_years`` long,
    and their dates are unknown (None) until the signature is recorded (``terms.resolve_terms``).
    """

    term_start: date | None = None
    term_end: date | None = None
    # End of the security maintenance period the provider cannot shorten.
    maintenance_end: date | None = None
    term_years: int = 3
    maintenance_years: int = 5
    governing_place: str = ""  # city whose people's court hears disputes
    vulnerability_notice_hours: int = 24
    remediation_days_critical: int = 7
    remediation_days_high: int = 30
    remediation_days_other: int = 90
    sbom_update_days: int = 30  # after each release; plus at least once a year
    incident_notice_hours: int = 2
    onboarding_days: int = 30  # continuity plan, background checks, first SBOM, data locations
    data_return_days: int = 30  # after the term ends
    supply_end_notice_days: int = 180  # before supply or support ends after the maintenance period
    change_notice_days: int = 30
    liquidated_damages_percent: Decimal = Decimal("10")  # of the contract value


@dataclass(frozen=True, slots=True)
class AgreementFacts:
    """Everything an agreement is generated from; a service assembles it from the database."""

    agreement_number: str
    operator: OperatorParty
    vendor: ProviderParty
    purchase: PurchaseFacts
    terms: AgreementTerms
    contacts: tuple[Person, ...] = ()


@dataclass(frozen=True, slots=True)
class AgreementText:
    """Pre-formatted, language-specific strings (the template's ``text``)."""

    contract_value: str
    tax_basis: str
    contract_date: str
    category: str
    data_handled: str
    personal_information_volume: str
    remote_maintenance: str
    single_source: str
    term_start: str
    term_end: str
    maintenance_end: str
    liquidated_damages_percent: str
    processing_purpose: str
    processing_method: str
    processing_scope: str


@dataclass(frozen=True, slots=True)
class ObligationRow:
    """One row of the obligations schedule (the template's ``obligations``)."""

    code: str
    clause_id: str
    title: str
    description: str
    due: str


# The names a template may use, and the type behind each (a 1-tuple means "tuple of").
CONTEXT_SHAPE: Mapping[str, type | tuple[type]] = MappingProxyType(
    {
        "agreement_number": str,
        "language": str,
        "operator": OperatorParty,
        "vendor": ProviderParty,
        "purchase": PurchaseFacts,
        "terms": AgreementTerms,
        "text": AgreementText,
        "contacts": (Person,),
        "obligations": (ObligationRow,),
    }
)
CONTEXT_VARIABLES: frozenset[str] = frozenset(CONTEXT_SHAPE)

# Which facts each derived ``text`` field is made from (for :func:`missing_facts`).
_TEXT_SOURCES: Mapping[str, tuple[str, ...]] = {
    "contract_value": ("purchase.contract_value", "purchase.currency"),
    "tax_basis": ("purchase.tax_included",),
    "contract_date": ("purchase.contract_date",),
    "category": ("purchase.category_label_{language}",),
    "data_handled": ("purchase.handles_personal_information",),
    "personal_information_volume": ("purchase.personal_information_volume",),
    "remote_maintenance": ("purchase.remote_maintenance",),
    "single_source": ("purchase.single_source",),
    "term_start": ("terms.term_start",),
    "term_end": ("terms.term_end",),
    "maintenance_end": ("terms.maintenance_end",),
    "liquidated_damages_percent": ("terms.liquidated_damages_percent",),
    # Defaults stand in for blank purpose and method; the scope is checked only where it applies
    # (store.facts.processing_errors), so these never make an agreement without data incomplete.
    "processing_purpose": (),
    "processing_method": (),
    "processing_scope": (),
}

# English names for "what to fill in" messages; paths missing here fall back to the path itself.
# What each fact is called in errors ("Fill in the provider's address"), by its path.
FIELD_LABELS: Mapping[str, str] = {
    key.removeprefix("agreements.field."): label
    for key, label in TEMPLATES.items()
    if key.startswith("agreements.field.")
}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_T = TypeVar("_T")


def clean_text(value: str) -> str:
    """Drop characters XML 1.0 cannot hold (pasted control characters would corrupt the .docx)."""
    return _XML_INVALID.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _cleaned(obj: _T) -> _T:
    """A copy of a plain dataclass with every str field passed through :func:`clean_text`."""
    changes = {
        f.name: clean_text(v)
        for f in dataclasses.fields(obj)  # type: ignore[arg-type]
        if isinstance(v := getattr(obj, f.name), str)
    }
    return dataclasses.replace(obj, **changes)  # type: ignore[type-var]


def _data_handled(purchase: PurchaseFacts, language: Language) -> str:
    zh = language == "zh"
    kinds: list[str] = []
    if purchase.handles_personal_information:
        count = format_count(purchase.personal_information_volume)
        kinds.append(
            f"个人信息（约 {count} 人）"
            if zh
            else f"personal information (about {count} individuals)"
        )
    if purchase.handles_important_data:
        kinds.append("重要数据" if zh else "important data")
    if purchase.handles_core_data:
        kinds.append("核心数据" if zh else "core data")
    if not kinds:
        return (
            "不涉及个人信息、重要数据或核心数据"
            if zh
            else "no personal information, important data or core data"
        )
    return ("；" if zh else "; ").join(kinds)


def _period_end_text(years: int, language: Language) -> str:
    if language == "zh":
        return f"本协议生效满 {years} 年之日的前一日"
    anniversary = f"the {_ordinal(years)} anniversary"
    return f"the day before {anniversary} of the day this Agreement takes effect"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _term_texts(t: AgreementTerms, language: Language) -> tuple[str, str, str]:
    """Start, end and maintenance end: dates once agreed or signed, else counted from signing."""
    if t.term_start is None:
        start = "本协议生效之日" if language == "zh" else "the day this Agreement takes effect"
        return (
            start,
            _period_end_text(t.term_years, language),
            _period_end_text(t.maintenance_years, language),
        )
    assert t.term_end is not None and t.maintenance_end is not None  # resolved with the start
    return (
        format_date(t.term_start, language),
        format_date(t.term_end, language),
        format_date(t.maintenance_end, language),
    )


_DEFAULT_PURPOSE = {
    "zh": "仅限于向甲方提供附件一所列产品和服务（包括交付、运行维护和技术支持）所必需",
    "en": "only as needed to supply the products and services in Schedule 1 to the Operator "
    "(delivery, operation and maintenance, technical support)",
}
_DEFAULT_METHOD = {
    "zh": "按照甲方的书面指示，在甲方指定的系统和场所内进行上述目的所必需的存储、使用、加工和传输",
    "en": "storage, use, processing and transmission needed for that purpose, on the systems and "
    "premises the Operator designates and as the Operator instructs in writing",
}


def _processing_scope(purchase: PurchaseFacts, language: Language) -> str:
    zh = language == "zh"
    parts: list[str] = []
    if purchase.handles_personal_information:
        categories = clean_text(purchase.personal_information_categories)
        parts.append(f"个人信息：{categories}" if zh else f"personal information: {categories}")
    if purchase.handles_important_data or purchase.handles_core_data:
        scope = clean_text(purchase.important_data_scope)
        parts.append(f"重要数据：{scope}" if zh else f"important data: {scope}")
    return ("；" if zh else "; ").join(parts)


def _text(facts: AgreementFacts, language: Language) -> AgreementText:
    p, t = facts.purchase, facts.terms
    zh = language == "zh"
    term_start, term_end, maintenance_end = _term_texts(t, language)
    return AgreementText(
        contract_value=format_money(p.contract_value, p.currency, language),
        tax_basis=("含税" if p.tax_included else "不含税")
        if zh
        else ("tax included" if p.tax_included else "tax excluded"),
        contract_date=format_date(p.contract_date, language),
        category=clean_text(p.category_label_zh if zh else p.category_label_en),
        data_handled=_data_handled(p, language),
        personal_information_volume=format_count(p.personal_information_volume),
        remote_maintenance=format_yes_no(p.remote_maintenance, language),
        single_source=format_yes_no(p.single_source, language),
        term_start=term_start,
        term_end=term_end,
        maintenance_end=maintenance_end,
        liquidated_damages_percent=format_percent(t.liquidated_damages_percent),
        processing_purpose=clean_text(p.processing_purpose) or _DEFAULT_PURPOSE[language],
        processing_method=clean_text(p.processing_method) or _DEFAULT_METHOD[language],
        processing_scope=_processing_scope(p, language),
    )


def _due_text(ob: Obligation, language: Language) -> str:
    zh = language == "zh"
    if ob.recurrence is Recurrence.ON_EVENT:
        if ob.window_days:
            window = format_days(ob.window_days, language)
        else:
            window = format_hours(ob.window_hours, language)
        return f"每次事件发生后 {window}内" if zh else f"within {window} of each event"
    if ob.due is None:  # not signed yet: counted from signing (clause 16.3)
        return ob.due_rule
    first = format_date(ob.due, language)
    if ob.recurrence is Recurrence.ANNUAL:
        until = format_date(ob.until, language) if ob.until else ""
        if zh:
            return f"每年一次，首次 {first}" + (f"，至 {until}" if until else "")
        return f"every year from {first}" + (f" until {until}" if until else "")
    return first


def build_context(
    facts: AgreementFacts, obligations: Sequence[Obligation], language: str
) -> Mapping[str, object]:
    """The read-only mapping a template is rendered with (names as in :data:`CONTEXT_SHAPE`)."""
    lang = check_language(language)
    rows = tuple(
        ObligationRow(
            code=ob.code,
            clause_id=ob.clause_id,
            title=clean_text(ob.title),
            description=clean_text(ob.description),
            due=_due_text(ob, lang),
        )
        for ob in obligations
    )
    return MappingProxyType(
        {
            "agreement_number": clean_text(facts.agreement_number),
            "language": lang,
            "operator": _cleaned(facts.operator),
            "vendor": _cleaned(facts.vendor),
            "purchase": _cleaned(facts.purchase),
            "terms": _cleaned(facts.terms),
            "text": _text(facts, lang),
            "contacts": tuple(_cleaned(c) for c in facts.contacts),
            "obligations": rows,
        }
    )


def context_fields() -> frozenset[str]:
    """Every ``name.field`` a template may read; for lists, the fields of their items."""
    paths: set[str] = set()
    for name, kind in CONTEXT_SHAPE.items():
        item = kind[0] if isinstance(kind, tuple) else kind
        if dataclasses.is_dataclass(item):
            paths.update(f"{name}.{f.name}" for f in dataclasses.fields(item))
    return frozenset(paths)


def _fact_paths(facts: AgreementFacts) -> list[tuple[str, Any]]:
    """(path, value) for every fact, in declaration order so errors come out in form order."""
    out: list[tuple[str, Any]] = [("agreement_number", facts.agreement_number)]
    for name in ("operator", "vendor", "purchase", "terms"):
        part = getattr(facts, name)
        out.extend((f"{name}.{f.name}", getattr(part, f.name)) for f in dataclasses.fields(part))
    out.append(("contacts", facts.contacts))
    return out


def _needed_facts(required: Iterable[str], language: Language) -> set[str]:
    needed: set[str] = set()
    for path in required:
        root, _, rest = path.partition(".")
        field = rest.split(".", 1)[0]
        if root == "text":
            needed.update(s.format(language=language) for s in _TEXT_SOURCES.get(field, ()))
        elif root in ("obligations", "language"):
            continue  # derived, never empty
        elif root in ("agreement_number", "contacts"):
            needed.add(root)
        elif root in CONTEXT_SHAPE:
            needed.add(f"{root}.{field}" if field else root)
        else:
            raise ValueError(f"template path {path!r} is not part of the agreement context")
    return needed


def missing_facts(
    facts: AgreementFacts, required: Iterable[str], language: str
) -> list[FieldError]:
    """A REQUIRED error for each fact in ``required`` (template paths) that is empty.

    ``required`` is a template's field list (the manifest's ``fields``, or
    :func:`procurement.agreements.render.template_fields` for an uploaded template). Booleans and
    numbers are never "empty"; strings are empty when blank, ``contacts`` when it has no entry.
    """
    needed = _needed_facts(required, check_language(language))
    whole_root = {p for p in needed if "." not in p}  # e.g. "vendor" used as a whole
    errors: list[FieldError] = []
    for path, value in _fact_paths(facts):
        if path not in needed and path.split(".", 1)[0] not in whole_root:
            continue
        if path == "contacts":
            errors.extend(_contact_errors(value))
        elif isinstance(value, str) and not value.strip():
            label: Param = path
            if path in FIELD_LABELS:
                label = Text(f"agreements.field.{path}", {})
            text = Text("agreements.fill_in", {"label": label})
            errors.append(FieldError.said(path, text, ErrorCode.REQUIRED, TEMPLATES))
    return errors


def _contact_errors(contacts: tuple[Person, ...]) -> list[FieldError]:
    if not contacts:
        text = Text("agreements.add_contact", {})
        return [FieldError.said("contacts", text, ErrorCode.REQUIRED, TEMPLATES)]
    return [
        FieldError.said(
            f"contacts.{i}.{attr}",
            Text(f"agreements.contact.{attr}", {}),
            ErrorCode.REQUIRED,
            TEMPLATES,
        )
        for i, person in enumerate(contacts)
        for attr in ("name", "role")
        if not getattr(person, attr).strip()
    ]
