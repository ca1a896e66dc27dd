"""The English templates of the review deadlines' bases and warnings, by stable message id
(pure). ``Deadline.basis_text`` and ``Deadline.warning_texts`` hold the ids and parameters beside
the English ``basis`` and ``warnings`` (which the API returns); the console renders them through
its Chinese catalog (see procurement/texts.py)."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping

from procurement.errors import ErrorCode, FieldError
from procurement.input_messages import TEMPLATES as INPUT
from procurement.texts import N_, Text

TEMPLATES: Mapping[str, str] = {
    "reviews.deadline.basis": N_("{rule}: {days} working days from {start}"),
    "reviews.deadline.basis_paused": N_("{rule}: {days} working days from {start}; {pauses}"),
    "reviews.rule.art9": N_("Review Measures Art. 9"),
    "reviews.rule.art11": N_("Review Measures Art. 11"),
    "reviews.rule.art12": N_("Review Measures Art. 12"),
    "reviews.rule.arts13_14": N_("Review Measures Arts. 13-14"),
    "reviews.start.art9": N_("the office's receipt of complete declaration materials"),
    "reviews.start.art11": N_("the office's written notice that a review will be run"),
    "reviews.start.art12": N_("the members' receipt of the proposed review conclusion"),
    "reviews.start.arts13_14": N_("the start of the special review procedure"),
    "reviews.pauses.request_day_counted": N_(
        "supplementary-material periods excluded (Review Measures Art. 15; the request day "
        "counts, Civil Code Art. 201)"
    ),
    "reviews.pauses.request_day_excluded": N_(
        "supplementary-material periods excluded (Review Measures Art. 15; from the request day)"
    ),
    "reviews.warning.extendable": N_(
        "{rule}: complex cases may be extended by a period the office sets; the due date covers "
        "only the base {days} working days"
    ),
    "reviews.warning.unknown_year": N_(
        "Chinese holiday calendar unknown for {year}: Monday-Friday counted as working days, "
        "statutory holidays and adjusted working weekends not applied; the date is provisional "
        "until {year}'s holiday schedule is loaded"
    ),
    # refusals of a review step (state_machine.py, store.py)
    "reviews.error.justification": N_(
        "a written justification is required to decide that no declaration is needed"
    ),
    "reviews.error.reason": N_("a reason is required to withdraw"),
    "reviews.error.materials": N_("cannot file the declaration, materials missing: {names}"),
    "reviews.error.material": N_("{material} ({basis})"),
    "reviews.error.before_opening": N_("{day} is before the case was opened on {since}"),
    "reviews.error.before_state": N_("{day} is before the case entered {state} on {since}"),
    "reviews.error.future": N_("{day} is in the future (today is {today})"),
    # the Art. 8 materials and their bases as the English names them (declaration.py)
    "reviews.material.DECLARATION_FORM": N_("DECLARATION_FORM"),
    "reviews.material.IMPACT_ANALYSIS_REPORT": N_("IMPACT_ANALYSIS_REPORT"),
    "reviews.material.PROCUREMENT_DOCUMENTS": N_("PROCUREMENT_DOCUMENTS"),
    "reviews.material.OFFICE_REQUESTED_MATERIALS": N_("OFFICE_REQUESTED_MATERIALS"),
    "reviews.basis.Review Measures Art. 8(1)": N_("Review Measures Art. 8(1)"),
    "reviews.basis.Review Measures Art. 8(2)": N_("Review Measures Art. 8(2)"),
    "reviews.basis.Review Measures Arts. 8(3), 6": N_("Review Measures Arts. 8(3), 6"),
    "reviews.basis.Review Measures Art. 8(4)": N_("Review Measures Art. 8(4)"),
    # the case states a refusal names, as the English names them (state_machine.py)
    "reviews.state.PENDING_TRIAGE": N_("PENDING_TRIAGE"),
    "reviews.state.NOT_REQUIRED": N_("NOT_REQUIRED"),
    "reviews.state.DECLARATION_PREPARED": N_("DECLARATION_PREPARED"),
    "reviews.state.DECLARED": N_("DECLARED"),
    "reviews.state.NO_REVIEW_NEEDED": N_("NO_REVIEW_NEEDED"),
    "reviews.state.UNDER_REVIEW": N_("UNDER_REVIEW"),
    "reviews.state.SPECIAL_REVIEW": N_("SPECIAL_REVIEW"),
    "reviews.state.PASSED": N_("PASSED"),
    "reviews.state.FAILED": N_("FAILED"),
    "reviews.state.WITHDRAWN": N_("WITHDRAWN"),
    # refusals of holiday schedules (holidays.py, actions/calendars.py)
    "reviews.holidays.year": N_("must be a year from {first} to {last}, got {value}"),
    "reviews.holidays.source": N_("is required: name the notice"),
    "reviews.holidays.list": N_("must be a list of dates"),
    "reviews.holidays.no_day_off": N_("lists no day off"),
    "reviews.holidays.not_a_date": N_("'{value}' is not a date (YYYY-MM-DD)"),
    "reviews.holidays.other_year": N_("{day} is not in {year}"),
    "reviews.holidays.twice": N_("{day} is listed twice"),
    "reviews.holidays.weekday": N_(
        "{day} is a {weekday}: only a Saturday or Sunday can be an adjusted working day"
    ),
    "reviews.holidays.also_off": N_("{day} is also listed as a day off ({where})"),
    "reviews.holidays.weekends_only": N_(
        "every listed day off is a Saturday or Sunday, which are off anyway; a holiday schedule "
        "gives weekdays off"
    ),
    "reviews.holidays.conflict": N_(
        "{year}'s schedule or a review case it recounts was changed by another request at the "
        "same moment; nothing was saved: try again"
    ),
    "reviews.weekday.0": N_("Monday"),
    "reviews.weekday.1": N_("Tuesday"),
    "reviews.weekday.2": N_("Wednesday"),
    "reviews.weekday.3": N_("Thursday"),
    "reviews.weekday.4": N_("Friday"),
    # refusals of working-day counts (calendar.py)
    "reviews.calendar.pause_order": N_("pause ends {end} before it starts {start}"),
    "reviews.calendar.no_end": N_("no end found within {days} days after {start}"),
    "reviews.calendar.negative": N_("working days must be >= 0, got {n}"),
    "reviews.calendar.too_long": N_("range longer than {days} days"),
    # refusals of supplementary-material pauses (pauses.py)
    "reviews.pauses.clock_stopped": N_(
        "supplementary materials pause the office's clock, which runs only in DECLARED, "
        "UNDER_REVIEW and SPECIAL_REVIEW; the case is {state}"
    ),
    "reviews.pauses.awaited": N_(
        "materials requested on {day} are still awaited; record their receipt first"
    ),
    "reviews.pauses.before_receipt": N_(
        "{day} is before the previous materials were received ({received})"
    ),
    "reviews.pauses.none_awaited": N_("no supplementary materials are awaited for this case"),
    "reviews.pauses.receipt_range": N_(
        "must be between the request on {start} and today ({today}), got {day}"
    ),
    # recording a purchase in use (usage.py)
    "reviews.usage.failed": N_(
        "the cybersecurity review of this purchase failed; the product or service must not be "
        "used (CII Regulations Art. 19, Cybersecurity Law Art. 65/67)"
    ),
    # refusals of office decisions, assignments and attachments (actions/cases.py, notes.py)
    "reviews.case.complex_flag": N_(
        "can only be given with REVIEW_STARTED (or use MARKED_COMPLEX)"
    ),
    "reviews.case.complex_state": N_(
        "a case can be marked complex only during the preliminary review (UNDER_REVIEW); it is "
        "{state}"
    ),
    "reviews.case.already_complex": N_("the case is already complex"),
    "reviews.case.closed": N_("the case is closed ({state})"),
    "reviews.assign.both": N_("give the reviewer's account or a token, not both"),
    "reviews.assign.token": N_(
        "token {id} is not an active reviewer of this case's operator (or an admin)"
    ),
    "reviews.assign.account": N_(
        "account {id} is not an active reviewer of this case's operator (or an admin)"
    ),
    "reviews.attachment.empty": N_("the file is empty"),
    "reviews.attachment.too_large": N_("the file is larger than {max} bytes"),
    "reviews.attachment.duplicate": N_("this file is already attached to {material}"),
}

# What the domain's errors may name: its own ids and the input checks' (procurement/validation.py).
ERRORS: Mapping[str, str] = ChainMap(dict(TEMPLATES), dict(INPUT))


def said(field: str | None, text: Text, code: ErrorCode = ErrorCode.INVALID) -> FieldError:
    """A FieldError saying ``text`` (an id of :data:`ERRORS`), its English as the message."""
    return FieldError.said(field, text, code, ERRORS)


def state(value: str) -> Text:
    """A case state as the refusals name it (its stored value in English)."""
    return Text(f"reviews.state.{value}", {})
