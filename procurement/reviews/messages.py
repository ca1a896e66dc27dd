"""The English templates of the review deadlines' bases and warnings, by stable message id
(pure). ``Deadline.basis_text`` and ``Deadline.warning_texts`` hold the ids and parameters beside
the English ``basis`` and ``warnings`` (which the API returns); the console renders them through
its Chinese catalog (see procurement/texts.py)."""

from __future__ import annotations

from collections.abc import Mapping

from procurement.texts import N_

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
}
