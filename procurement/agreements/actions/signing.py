"""Recording what happens to an agreement after generation: sent, signed, terminated.

The language versions of one agreement (zh and en) share this lifecycle: recording it on either
records it on both, once, with one audit event per version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.agreements.actions.generate import check_not_future, signed_predecessors
from procurement.agreements.lifecycle import AgreementState, SignatoryParty, transition_text
from procurement.agreements.messages import TEMPLATES as MESSAGES
from procurement.agreements.store.common import agreement_for_change, operator_of
from procurement.agreements.store.pairs import date_obligations, language_versions
from procurement.clock import today_in_china
from procurement.concurrency import refuse_concurrent_change
from procurement.db import utcnow
from procurement.errors import ErrorCode
from procurement.files import EXTENSIONS, UploadedFile, check_evidence, safe_file_name
from procurement.models import Agreement
from procurement.permissions import Action, Principal, require
from procurement.texts import Text, english
from procurement.validation import Checker

MAX_SIGNATORIES = 10
_STATE_FIELDS = (
    "state",
    "sent_on",
    "signed_on",
    "signatories",
    "signed_copy_sha256",
    "signed_copy_file_name",
    "terminated_on",
    "termination_reason",
)


@dataclass(frozen=True, slots=True)
class SignatoryInput:
    name: str
    party: SignatoryParty | str
    title: str | None = None


def _state_view(agreement: Agreement) -> dict[str, object]:
    return {k: audit.json_value(getattr(agreement, k)) for k in _STATE_FIELDS}


def _not_before(check: Checker, field: str, value: date | None, floor: date, what: str) -> None:
    """``what``: the message id naming the floor (the day it was sent, the last recorded date)."""
    if value is not None and value < floor:
        text = Text(what, {"date": value.isoformat(), "floor": floor.isoformat()})
        check.fail(field, text, ErrorCode.OUT_OF_RANGE, MESSAGES)


async def _audit(
    session: AsyncSession,
    principal: Principal,
    agreement: Agreement,
    action: str,
    before: dict[str, object],
    **also: object,
) -> None:
    audit.record(
        session,
        principal,
        action,
        "Agreement",
        agreement.id,
        operator_id=await operator_of(session, agreement.purchase_id),
        before=before,
        after=_state_view(agreement) | also,
    )


async def _finish(
    session: AsyncSession,
    principal: Principal,
    agreement: Agreement,
    versions: Sequence[Agreement],
    action: str,
    befores: Sequence[dict[str, object]],
) -> Agreement:
    await session.flush()
    for version, before in zip(versions, befores, strict=True):
        await _audit(session, principal, version, action, before)
    await session.commit()
    return agreement


async def _versions(
    session: AsyncSession, agreement: Agreement, check: Checker, target: AgreementState
) -> list[Agreement]:
    """The agreement and its other language version, each checked for the transition."""
    versions = await language_versions(session, agreement)
    problems: dict[str, Text] = {}  # once each, in the order of their English
    for version in versions:
        text = transition_text(version.state, target)
        if text is not None:
            problems[english(text, MESSAGES)] = text
    for _, problem in sorted(problems.items()):
        check.fail(None, problem, ErrorCode.INVALID_STATE, MESSAGES)
    return versions


agreement_change = refuse_concurrent_change(
    "agreement", "agreement_id", Agreement.state, Agreement.id
)


@agreement_change
async def record_agreement_sent(
    session: AsyncSession, principal: Principal, agreement_id: int, sent_on: date | str | None
) -> Agreement:
    require(principal, Action.MANAGE_AGREEMENTS)
    agreement = await agreement_for_change(session, principal, agreement_id)
    check = Checker()
    when = check.date_value("sentOn", sent_on)
    check_not_future(check, "sentOn", when, today_in_china())
    versions = await _versions(session, agreement, check, AgreementState.SENT)
    check.done()
    befores = [_state_view(v) for v in versions]
    for version in versions:
        version.state = AgreementState.SENT
        version.sent_on = when
    return await _finish(session, principal, agreement, versions, "agreement.sent", befores)


def _text(name: str, **params: str | int) -> Text:
    return Text(f"agreements.error.{name}", params)


def _signatories(items: Sequence[SignatoryInput], check: Checker) -> list[dict[str, str]]:
    if not items:
        check.fail("signatories", _text("signatories"), ErrorCode.REQUIRED, MESSAGES)
        return []
    if len(items) > MAX_SIGNATORIES:
        at_most = _text("signatories_max", max=MAX_SIGNATORIES)
        check.fail("signatories", at_most, ErrorCode.OUT_OF_RANGE, MESSAGES)
        return []
    out: list[dict[str, str]] = []
    for i, item in enumerate(items):
        name = check.text(f"signatories.{i}.name", item.name, max_len=120)
        party = check.enum(f"signatories.{i}.party", item.party, SignatoryParty)
        title = check.text(f"signatories.{i}.title", item.title, max_len=120, required=False)
        if name is not None and party is not None:
            out.append({"name": name, "party": party.value, "title": title or ""})
    parties = {s["party"] for s in out}
    if len(out) == len(items) and parties != {p.value for p in SignatoryParty}:
        check.fail("signatories", _text("both_parties"), ErrorCode.REQUIRED, MESSAGES)
    return out


def _signed_copy(upload: UploadedFile | None, check: Checker) -> str | None:
    """The sniffed media type of the signed copy; problems go into ``check``."""
    if upload is None or not upload.data:
        check.fail("signedCopy", _text("signed_copy"), ErrorCode.REQUIRED, MESSAGES)
        return None
    return check_evidence(check, "signedCopy", upload)


@agreement_change
async def record_agreement_signed(
    session: AsyncSession,
    principal: Principal,
    agreement_id: int,
    signed_on: date | str | None,
    signatories: Sequence[SignatoryInput],
    signed_copy: UploadedFile | None,
) -> Agreement:
    """SENT -> SIGNED with the evidence; a previously signed agreement is superseded by it.

    The agreement takes effect on signing (clause 16.3): its obligations get their due dates
    now, counted from ``signed_on``, never from the contract date."""
    require(principal, Action.MANAGE_AGREEMENTS)
    agreement = await agreement_for_change(session, principal, agreement_id)
    check = Checker()
    when = check.date_value("signedOn", signed_on)
    check_not_future(check, "signedOn", when, today_in_china())
    if agreement.sent_on is not None:
        _not_before(check, "signedOn", when, agreement.sent_on, "agreements.error.before_sent")
    people = _signatories(signatories, check)
    media_type = _signed_copy(signed_copy, check)
    versions = await _versions(session, agreement, check, AgreementState.SIGNED)
    check.done()
    assert signed_copy is not None and media_type is not None and when is not None

    history = await session.scalars(
        select(Agreement).where(Agreement.purchase_id == agreement.purchase_id)
    )
    befores = [_state_view(v) for v in versions]
    for version in versions:
        _sign(version, when, people, signed_copy, media_type)
    # The tracked obligations (on the version generated first) take their dates from today's
    # signature; before it they were "N days after signing".
    await date_obligations(session, versions[0], when)
    for old in signed_predecessors(list(history), versions):
        old_before = _state_view(old)
        old.state = AgreementState.SUPERSEDED
        old.superseded_by_id = agreement.id
        old.superseded_at = utcnow()
        await _audit(
            session, principal, old, "agreement.superseded", old_before,
            superseded_by_id=agreement.id,
        )  # fmt: skip
    return await _finish(session, principal, agreement, versions, "agreement.signed", befores)


def _sign(
    agreement: Agreement,
    when: date,
    people: list[dict[str, str]],
    signed_copy: UploadedFile,
    media_type: str,
) -> None:
    """Record the signature on one language version (the signed copy covers the pair)."""
    agreement.state = AgreementState.SIGNED
    agreement.signed_on = when
    agreement.signatories = people
    agreement.signed_copy = signed_copy.data
    agreement.signed_copy_sha256 = signed_copy.sha256
    agreement.signed_copy_size = len(signed_copy.data)
    agreement.signed_copy_content_type = media_type
    stem = f"{agreement.document_file_name.rsplit('.', 1)[0]}_signed"
    agreement.signed_copy_file_name = safe_file_name(
        signed_copy.filename or stem, stem, EXTENSIONS[media_type]
    )


@agreement_change
async def terminate_agreement(
    session: AsyncSession,
    principal: Principal,
    agreement_id: int,
    terminated_on: date | str | None,
    reason: str | None,
) -> Agreement:
    """End a signed agreement, or withdraw one not yet signed; the reason is kept."""
    require(principal, Action.MANAGE_AGREEMENTS)
    agreement = await agreement_for_change(session, principal, agreement_id)
    check = Checker()
    when = check.date_value("terminatedOn", terminated_on)
    text = check.text("reason", reason, max_len=2000)
    check_not_future(check, "terminatedOn", when, today_in_china())
    # Agreements signed on paper before they were recorded here may carry earlier dates than
    # their generation, so only the order of the recorded dates is checked.
    floor = agreement.signed_on or agreement.sent_on
    if floor is not None:
        _not_before(check, "terminatedOn", when, floor, "agreements.error.before_last")
    versions = await _versions(session, agreement, check, AgreementState.TERMINATED)
    check.done()
    befores = [_state_view(v) for v in versions]
    for version in versions:
        version.state = AgreementState.TERMINATED
        version.terminated_on = when
        version.termination_reason = text
    return await _finish(session, principal, agreement, versions, "agreement.terminated", befores)
