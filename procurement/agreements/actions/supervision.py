"""Supervising the provider (Art. 20): recording checks of its obligations (what is due is
:func:`procurement.agreements.reads.obligations_due`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from procurement import audit
from procurement.agreements.lifecycle import AgreementState, CheckResult, ObligationStatus
from procurement.agreements.messages import TEMPLATES as MESSAGES
from procurement.agreements.store.common import operator_of
from procurement.clock import today_in_china
from procurement.concurrency import at_version, check_expected_version, refuse_concurrent_change
from procurement.errors import ErrorCode, NotFound
from procurement.files import EXTENSIONS, UploadedFile, check_evidence, safe_file_name
from procurement.models import Agreement, AgreementObligation, SupervisionCheck
from procurement.permissions import Action, Principal, require, scope_agreements
from procurement.texts import Text
from procurement.validation import Checker

# Checks are recorded on agreements in force, and on terminated ones (data return, for one,
# falls due after the end).
_CHECKABLE = frozenset({AgreementState.SIGNED, AgreementState.TERMINATED})


@dataclass(frozen=True, slots=True)
class SupervisionCheckInput:
    obligation_id: int
    result: CheckResult | str
    checked_on: date | str | None = None  # today (in China) when not given
    evidence: str | None = None
    notes: str | None = None
    attachment: UploadedFile | None = None
    # The obligation's version the check was made from: refused (CONFLICT) if it changed since.
    expected_version: int | None = None


@refuse_concurrent_change(
    "obligation",
    "data",
    AgreementObligation.version,
    AgreementObligation.id,
    describe=at_version,
    id_from=lambda data: data.obligation_id,
)
async def record_supervision_check(
    session: AsyncSession, principal: Principal, data: SupervisionCheckInput
) -> SupervisionCheck:
    require(principal, Action.RECORD_SUPERVISION)
    visible = scope_agreements(select(Agreement.id), principal)
    obligation = await session.scalar(
        select(AgreementObligation).where(
            AgreementObligation.id == data.obligation_id,
            AgreementObligation.agreement_id.in_(visible),
        )
    )
    if obligation is None:
        raise NotFound("obligationId", "obligation", data.obligation_id)
    check_expected_version("obligation", obligation.version, data.expected_version)
    agreement = await session.get(Agreement, obligation.agreement_id)
    assert agreement is not None
    check = Checker()
    result = check.enum("result", data.result, CheckResult)
    today = today_in_china()
    checked_on = check.date_value("checkedOn", data.checked_on, required=False) or today
    if checked_on > today:
        future = Text("agreements.error.future", {"date": checked_on.isoformat()})
        check.fail("checkedOn", future, ErrorCode.OUT_OF_RANGE, MESSAGES)
    if agreement.signed_on is not None and checked_on < agreement.signed_on:
        too_early = Text(
            "agreements.error.before_signed",
            {"date": checked_on.isoformat(), "floor": agreement.signed_on.isoformat()},
        )
        check.fail("checkedOn", too_early, ErrorCode.OUT_OF_RANGE, MESSAGES)
    evidence = check.text("evidence", data.evidence, max_len=10_000, required=False)
    notes = check.text("notes", data.notes, max_len=10_000, required=False)
    if result is CheckResult.MET and evidence is None and data.attachment is None:
        evidence_needed = Text("agreements.error.evidence", {})
        check.fail("evidence", evidence_needed, ErrorCode.REQUIRED, MESSAGES)
    media_type = (
        None if data.attachment is None else check_evidence(check, "attachment", data.attachment)
    )
    if agreement.state not in _CHECKABLE:
        state = Text(f"agreements.state.{agreement.state.value}", {})
        not_supervised = Text("agreements.error.not_supervised", {"state": state})
        check.fail("obligationId", not_supervised, ErrorCode.INVALID_STATE, MESSAGES)
    check.done()
    assert result is not None

    row = SupervisionCheck(
        obligation_id=obligation.id,
        result=result,
        checked_on=checked_on,
        evidence=evidence,
        notes=notes,
        checked_by=principal.name,
        checked_by_token_id=principal.token_id,
    )
    if data.attachment is not None and media_type is not None:
        row.attachment = data.attachment.data
        row.attachment_sha256 = data.attachment.sha256
        row.attachment_size = len(data.attachment.data)
        row.attachment_content_type = media_type
        row.attachment_file_name = safe_file_name(
            data.attachment.filename, f"evidence_{obligation.code}", EXTENSIONS[media_type]
        )
    session.add(row)
    before = {"status": obligation.status.value, "last_checked_on": obligation.last_checked_on}
    # The obligation shows the result of its latest check (by day; a back-dated check does not
    # overwrite a newer one).
    if obligation.last_checked_on is None or checked_on >= obligation.last_checked_on:
        obligation.status = ObligationStatus(result.value)
        obligation.last_checked_on = checked_on
    # Every check bumps the obligation's version, even a back-dated one that leaves its status:
    # two checks recorded at once cannot both decide the status.
    flag_modified(obligation, "status")
    await session.flush()
    audit.record(
        session,
        principal,
        "supervision_check.recorded",
        "SupervisionCheck",
        row.id,
        operator_id=await operator_of(session, agreement.purchase_id),
        before={k: audit.json_value(v) for k, v in before.items()},
        after=audit.snapshot(row, exclude=frozenset({"attachment"}))
        | {"obligation_status": obligation.status.value},
    )
    await session.commit()
    return row
