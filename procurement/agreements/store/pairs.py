"""The language versions of one agreement (zh and en): one number, one lifecycle.

Clause 16.4 makes the Chinese text prevail; the English text is the same agreement in another
language, not a replacement. The version generated second points at the first
(``language_version_of_id``); the first holds the obligations the operator tracks. Session
helpers: they never commit and never check the role.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.agreements.context import AgreementTerms, PurchaseFacts
from procurement.agreements.lifecycle import AgreementState
from procurement.agreements.obligations import derive_obligations
from procurement.models import Agreement, AgreementObligation

# Facts both versions must share: what the purchase is and what the parties agreed. Names and
# wording differ by language; these may not.
_SHARED_PURCHASE = (
    "contract_value", "currency", "tax_included", "contract_date", "handles_personal_information",
    "personal_information_volume", "handles_important_data", "handles_core_data",
    "remote_maintenance", "single_source",
)  # fmt: skip


def pair_root(agreement: Agreement) -> int:
    return agreement.language_version_of_id or agreement.id


async def language_versions(session: AsyncSession, agreement: Agreement) -> list[Agreement]:
    """The agreement and its other language version, if any (first generated first)."""
    root = pair_root(agreement)
    rows = await session.scalars(
        select(Agreement)
        .where(or_(Agreement.id == root, Agreement.language_version_of_id == root))
        .order_by(Agreement.id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


def partner_for(history: Sequence[Agreement], language: str) -> Agreement | None:
    """The in-progress agreement in the other language a new version would join: a DRAFT or
    SENT one without a version in ``language``. None when there is none to join."""
    in_progress = [a for a in history if a.state in (AgreementState.DRAFT, AgreementState.SENT)]
    if any(a.language == language for a in in_progress):
        return None  # regenerating this language: the whole pair in progress is replaced
    others = [a for a in in_progress if a.language != language]
    return others[-1] if others else None


def shared_facts_differ(partner: Agreement, facts_json: dict[str, Any]) -> list[str]:
    """Fact paths on which a new language version would disagree with ``partner``."""
    old = partner.context_snapshot.get("facts", {})
    paths = [f"purchase.{name}" for name in _SHARED_PURCHASE]
    paths += [f"terms.{name}" for name in facts_json["terms"]]
    out = []
    for path in paths:
        root, name = path.split(".")
        if old.get(root, {}).get(name) != facts_json[root].get(name):
            out.append(path)
    return out


def _purchase(raw: dict[str, Any]) -> PurchaseFacts:
    known = {k: v for k, v in raw.items() if k in PurchaseFacts.__dataclass_fields__}
    known["contract_value"] = Decimal(str(known["contract_value"]))
    known["contract_date"] = date.fromisoformat(known["contract_date"])
    return PurchaseFacts(**known)


def _terms(raw: dict[str, Any]) -> AgreementTerms:
    known = {k: v for k, v in raw.items() if k in AgreementTerms.__dataclass_fields__}
    for name in ("term_start", "term_end", "maintenance_end"):
        if isinstance(known.get(name), str):
            known[name] = date.fromisoformat(known[name])
    known["liquidated_damages_percent"] = Decimal(str(known["liquidated_damages_percent"]))
    return AgreementTerms(**known)


async def date_obligations(session: AsyncSession, agreement: Agreement, effective: date) -> None:
    """Give the tracked obligations their dates, counted from ``effective`` (the signing day,
    clause 16.3), from the terms the agreement was generated with."""
    facts = agreement.context_snapshot["facts"]
    derived = derive_obligations(
        _purchase(facts["purchase"]), _terms(facts["terms"]), agreement.language, effective
    )
    by_code = {ob.code: ob for ob in derived}
    rows = await session.scalars(
        select(AgreementObligation).where(AgreementObligation.agreement_id == agreement.id)
    )
    for row in rows:
        ob = by_code.get(row.code)
        if ob is not None and ob.due is not None:
            row.due_on, row.until_on, row.description = ob.due, ob.until, ob.description
