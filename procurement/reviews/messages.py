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
}
