"""Whether, and from when, the CII duties reach a purchase (CII Regulations Arts. 10-11, 19-20).

An operator is bound from the day it is notified of its identification as a CII operator until it
is notified that it no longer is one (:mod:`procurement.identification`).

* Contracted while the operator was a CII operator: the security review (Art. 19) and the
  agreement (Art. 20) are owed from the contract date, as before.
* Contracted before the operator's identification: no review is owed retroactively, since the
  review is a step of buying and the buying is done. The agreement is owed from the
  identification date (or the in-use date, if later) when the product is in use in its systems,
  because Art. 20 also makes the operator supervise the provider's security and confidentiality
  duties, which lasts as long as the product serves it. A product not in use owes nothing. This
  is the service's reading (the Regulations do not say); the line says so.
* Contracted when the operator was not a CII operator and never identified later: nothing.
* The day the operator stops being a CII operator ends every continuing act (the duties stop).

Pure: plain values in and out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from procurement.exposure.facts import PurchaseExposureFacts
from procurement.identification import CiiPeriod, next_period, period_on

NOT_A_CII_OPERATOR = (
    "no fine exposure: the operator is not an identified CII operator, and the duties these "
    "fines punish (the security review, CII Regulations Art. 41 and CSL Arts. 65/67; the "
    "security confidentiality agreement, CII Regulations Art. 39(9) and CSL Arts. 59/61) bind "
    "CII operators only. The purchase is screened for information only"
)


@dataclass(frozen=True, slots=True)
class Binding:
    review_owed: bool
    agreement_from: date  # the day the agreement duty arose
    until: date | None  # the operator stopped being a CII operator (exclusive); None: still is
    note: str | None = None  # why the duties start later than the contract, shown on the lines


def history_text(periods: Sequence[CiiPeriod]) -> str:
    if not periods:
        return "never identified"
    parts = []
    for p in periods:
        start = p.identified_on.isoformat() + (" (assumed)" if p.assumed else "")
        parts.append(
            f"from {start}" + (f" to {p.ended_on.isoformat()}" if p.ended_on is not None else "")
        )
    return "identified " + "; ".join(parts)


def bind(facts: PurchaseExposureFacts, as_of: date | None) -> Binding | str:
    """How the duties reach the purchase, or the reason (a note) why none does."""
    if facts.cii_periods is None:
        if not facts.operator_is_cii:
            return NOT_A_CII_OPERATOR
        return Binding(True, facts.agreement_duty_date, None)
    periods = facts.cii_periods
    if not periods:
        return NOT_A_CII_OPERATOR
    current = period_on(periods, facts.contract_date)
    if current is not None:
        return Binding(True, facts.agreement_duty_date, current.ended_on)
    later = next_period(periods, facts.contract_date)
    contract = facts.contract_date.isoformat()
    if later is None or (as_of is not None and later.identified_on > as_of):
        return (
            f"no fine exposure: the operator was not a CII operator on the contract date "
            f"{contract} ({history_text(periods)}), and the CII duties (security review, CII "
            "Regulations Art. 19; security confidentiality agreement, Art. 20) bind an operator "
            "only from the day it is notified of its identification (Art. 10). The purchase is "
            "screened for information only"
        )
    identified = later.identified_on.isoformat()
    start = max(later.identified_on, facts.in_use_date or later.identified_on)
    in_use = facts.in_use_date is not None and (later.ended_on is None or start < later.ended_on)
    if not in_use:
        return (
            f"no fine exposure: contracted on {contract}, before the operator was identified as "
            f"a CII operator on {identified} (CII Regulations Art. 10), and not in use while it "
            "was one: no security review is owed retroactively (Art. 19), and no agreement "
            "(Art. 20) for a product not in use"
        )
    note = (
        f"contracted on {contract}, before the operator was identified as a CII operator on "
        f"{identified} (CII Regulations Art. 10): no security review is owed retroactively "
        f"(Art. 19); the product is in use, so the security confidentiality agreement (Art. 20) "
        f"is owed from {start.isoformat()} (the service's reading: supervising the provider "
        "lasts while the product serves the operator)"
    )
    return Binding(False, start, later.ended_on, note)
