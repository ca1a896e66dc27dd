"""Generating Article 20 agreements and recording their lifecycle (legal teams and admins).

DRAFT -> SENT -> SIGNED -> SUPERSEDED or TERMINATED (see procurement.agreements.lifecycle).
Regenerating for a purchase supersedes its draft or sent agreement at once; a signed agreement
stays in force until the new one is signed, and is superseded then. Generating the other
language while a draft is in progress adds a language version to it instead (clause 16.4: one
agreement in Chinese and English, the Chinese prevailing): same number, facts and lifecycle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.agreements.actions.templates import DEFAULT_TEMPLATE_ID
from procurement.agreements.context import AgreementFacts, build_context
from procurement.agreements.documents import agreement_file_stem
from procurement.agreements.formatting import LANGUAGES, check_language
from procurement.agreements.lifecycle import IN_PROGRESS, AgreementState
from procurement.agreements.messages import TEMPLATES as MESSAGES
from procurement.agreements.obligations import derive_obligations
from procurement.agreements.render import render
from procurement.agreements.store.common import (
    agreement_snapshot,
    purchase_for_update,
)
from procurement.agreements.store.facts import (
    assemble_facts,
    chinese_errors,
    facts_to_json,
    load_records,
    missing_fact_errors,
    overrides_from_json,
    overrides_to_json,
    processing_errors,
    validate_overrides,
)
from procurement.agreements.store.pairs import partner_for, shared_facts_differ
from procurement.agreements.store.templates import ensure_shipped_templates, find_template_version
from procurement.db import utcnow
from procurement.enums import PurchaseStatus
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.files import safe_file_name, sha256_hex
from procurement.models import Agreement, AgreementObligation, AgreementTemplate
from procurement.permissions import Action, Principal, require
from procurement.texts import Article, Param, Text, TextList
from procurement.validation import Checker


@dataclass(frozen=True, slots=True)
class GenerateInput:
    purchase_id: int
    language: str
    template_id: str = DEFAULT_TEMPLATE_ID
    template_version: int | None = None  # the newest the caller may use when None
    # Flat fact-path overrides (see agreement_facts). None reuses those of the purchase's
    # previous agreement, so regenerating after a purchase change needs no retyping.
    overrides: Mapping[str, Any] | None = None


async def _history(session: AsyncSession, purchase_id: int) -> list[Agreement]:
    rows = await session.scalars(
        select(Agreement).where(Agreement.purchase_id == purchase_id).order_by(Agreement.id)
    )
    return list(rows)


async def _template(
    session: AsyncSession, principal: Principal, data: GenerateInput, check: Checker
) -> AgreementTemplate | None:
    if data.language not in LANGUAGES:
        allowed = {"value": data.language, "allowed": ", ".join(LANGUAGES)}
        check.fail("language", Text("input.enum", allowed))
        return None
    await ensure_shipped_templates(session, principal)
    template = await find_template_version(
        session, principal, data.template_id, data.language, data.template_version
    )
    if template is None:
        which: dict[str, Param] = {"template": data.template_id, "language": data.language}
        if data.template_version:
            missing = Text("agreements.error.no_template_version",
                           which | {"version": data.template_version})  # fmt: skip
        else:
            missing = Text("agreements.error.no_template", which)
        check.fail("templateId", missing, ErrorCode.NOT_FOUND, MESSAGES)
    return template


def _problem(error: FieldError) -> Param:
    """The template's problem as a text of this catalog where it is one, else its English."""
    return error.text if error.text is not None and error.text.id in MESSAGES else error.message


def _render_error(error: InputError) -> InputError:
    # A stored version passed check_template; if it still fails, say which template is at fault.
    # The template's own problem in words where it has an id, else in its English.
    return InputError(
        [FieldError.said("templateId",
                         Text("agreements.error.cannot_render", {"problem": _problem(e)}),
                         e.code, MESSAGES)
         for e in error.errors]
    )  # fmt: skip


async def generate_agreement(
    session: AsyncSession, principal: Principal, data: GenerateInput
) -> Agreement:
    """Render and store a DRAFT. Missing facts are errors naming what to fill in; nothing is
    stored then."""
    require(principal, Action.MANAGE_AGREEMENTS)
    purchase = await purchase_for_update(session, principal, data.purchase_id, "purchaseId")
    check = Checker()
    if purchase.status is PurchaseStatus.CANCELLED:
        cancelled = Text("agreements.error.purchase_cancelled", {})
        check.fail("purchaseId", cancelled, ErrorCode.INVALID_STATE, MESSAGES)
    if not purchase.category.is_network_product:
        not_network = Text("agreements.error.not_network_product", {"article": Article("20")})
        check.fail("purchaseId", not_network, ErrorCode.INVALID_STATE, MESSAGES)
    history = await _history(session, purchase.id)
    partner = partner_for(history, data.language)
    _check_partner(check, partner)
    raw = data.overrides
    if raw is None:
        source = partner or (history[-1] if history else None)
        raw = overrides_from_json(source.overrides) if source else {}
    overrides = validate_overrides(raw, check)
    stored_overrides = overrides_to_json(overrides)
    if partner is not None and stored_overrides != partner.overrides:
        same_facts = Text("agreements.error.partner_overrides", {"number": partner.number})
        check.fail("overrides", same_facts, ErrorCode.INVALID, MESSAGES)
    template = await _template(session, principal, data, check)
    check.done()
    assert template is not None
    language = check_language(data.language)

    records = await load_records(session, purchase)
    default_number = f"SCA-{purchase.contract_date.year}-{purchase.id:05d}-{len(history) + 1:02d}"
    if partner is not None:
        overrides = {**overrides, "agreement_number": partner.number}
    facts, term_errors = assemble_facts(records, language, overrides, default_number)
    problems = (
        term_errors
        + missing_fact_errors(facts, template.fields, language)
        + processing_errors(facts, template.fields)
        + (chinese_errors(facts) if language == "zh" else [])
        + _disagreements(partner, facts)
    )
    if problems:
        raise InputError(problems)
    obligations = derive_obligations(facts.purchase, facts.terms, language)
    context = build_context(facts, obligations, language)
    try:
        # docxtpl is CPU-bound (tens of ms): keep the event loop free for other requests.
        document = await asyncio.to_thread(render, template.content, context)
    except InputError as error:
        raise _render_error(error) from None

    stem = agreement_file_stem(template.title, facts.agreement_number, language)
    agreement = Agreement(
        purchase_id=purchase.id,
        template_version_id=template.id,
        template_id=template.template_id,
        template_version=template.version,
        language=language,
        number=facts.agreement_number,
        state=AgreementState.DRAFT,
        document=document,
        document_sha256=sha256_hex(document),
        document_size=len(document),
        document_file_name=safe_file_name(stem, "agreement", ".docx"),
        context_snapshot={
            "language": language,
            "template": {
                "id": template.template_id,
                "version": template.version,
                "sha256": template.sha256,
            },
            "facts": facts_to_json(facts),
        },
        overrides=stored_overrides,
        language_version_of_id=partner.id if partner is not None else None,
        generated_by=principal.name,
        generated_by_token_id=principal.token_id,
    )
    session.add(agreement)
    await session.flush()
    # One set of tracked obligations per agreement: on the version generated first.
    tracked = obligations if partner is None else ()
    session.add_all(
        AgreementObligation(
            agreement_id=agreement.id,
            position=i,
            code=ob.code,
            clause_id=ob.clause_id,
            title=ob.title,
            description=ob.description,
            recurrence=ob.recurrence,
            due_on=ob.due,
            until_on=ob.until,
            window_hours=ob.window_hours,
            window_days=ob.window_days,
            due_rule=ob.due_rule,
        )
        for i, ob in enumerate(tracked)
    )
    superseded = [a for a in history if a.state in IN_PROGRESS and partner is None]
    for old in superseded:
        _supersede(session, principal, old, agreement, purchase.operator_id)
    await session.flush()
    audit.record(
        session,
        principal,
        "agreement.generated",
        "Agreement",
        agreement.id,
        operator_id=purchase.operator_id,
        after=agreement_snapshot(agreement) | {"obligations": [ob.code for ob in tracked]},
    )
    await session.commit()
    return agreement


def _check_partner(check: Checker, partner: Agreement | None) -> None:
    if partner is not None and partner.state is not AgreementState.DRAFT:
        sent = Text(
            "agreements.error.partner_sent",
            {"number": partner.number, "language": partner.language},
        )
        check.fail("language", sent, ErrorCode.INVALID_STATE, MESSAGES)


def _disagreements(partner: Agreement | None, facts: AgreementFacts) -> list[FieldError]:
    if partner is None:
        return []
    differ = shared_facts_differ(partner, facts_to_json(facts))
    if not differ:
        return []
    return [
        FieldError.said(
            "purchaseId",
            Text(
                "agreements.error.facts_changed",
                {"number": partner.number, "facts": TextList(tuple(differ))},
            ),
            ErrorCode.INVALID_STATE,
            MESSAGES,
        )
    ]


def _supersede(
    session: AsyncSession, principal: Principal, old: Agreement, new: Agreement, operator_id: int
) -> None:
    before = {"state": old.state.value, "superseded_by_id": None}
    old.state = AgreementState.SUPERSEDED
    old.superseded_by_id = new.id
    old.superseded_at = utcnow()
    audit.record(
        session,
        principal,
        "agreement.superseded",
        "Agreement",
        old.id,
        operator_id=operator_id,
        before=before,
        after={"state": old.state.value, "superseded_by_id": new.id},
    )


def signed_predecessors(
    history: Sequence[Agreement], current: Sequence[Agreement]
) -> list[Agreement]:
    """Signed agreements of the same purchase that a newly signed one (with its language
    versions, ``current``) replaces."""
    ids = {a.id for a in current}
    return [a for a in history if a.id not in ids and a.state is AgreementState.SIGNED]


def check_not_future(check: Checker, field: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        future = Text("agreements.error.future", {"date": value.isoformat()})
        check.fail(field, future, ErrorCode.OUT_OF_RANGE, MESSAGES)
