"""The provider's obligations and their due dates, derived from terms and purchase facts."""

from __future__ import annotations

import dataclasses
from datetime import date

from contract_templates import find_template
from procurement.agreements.context import Obligation, Recurrence
from procurement.agreements.obligations import derive_obligations, due_dates
from procurement.agreements.sample import sample_facts

ONCE, ANNUAL, EVENT = Recurrence.ONCE, Recurrence.ANNUAL, Recurrence.ON_EVENT


def _schedule(obligations: tuple[Obligation, ...]) -> list[tuple[object, ...]]:
    return [
        (o.code, o.clause_id, o.recurrence, o.due, o.until, o.window_hours, o.window_days)
        for o in obligations
    ]


def test_obligations_of_the_sample_purchase_with_exact_dates() -> None:
    # given a purchase contracted 1 March 2025, default terms, personal information handled,
    # remote maintenance, and an agreement signed (taking effect) on 1 March 2025: term to
    # 29 Feb 2028, maintenance to 28 Feb 2030
    facts = sample_facts()
    # when
    obligations = derive_obligations(facts.purchase, facts.terms, "en", date(2025, 3, 1))
    # then dated duties come first by date, then event-triggered ones with their windows
    assert _schedule(obligations) == [
        ("CONTINUITY_PLAN", "supply_continuity", ONCE, date(2025, 3, 31), None, 0, 0),
        ("DATA_LOCATIONS", "data_localisation", ONCE, date(2025, 3, 31), None, 0, 0),
        ("PERSONNEL_CHECKS", "personnel", ONCE, date(2025, 3, 31), None, 0, 0),
        ("REMOTE_ACCESS", "no_backdoor", ONCE, date(2025, 3, 31), None, 0, 0),
        ("SBOM_INITIAL", "audit_sbom", ONCE, date(2025, 3, 31), None, 0, 0),
        (
            "ATTESTATION", "compliance_certification", ANNUAL,
            date(2026, 3, 1), date(2028, 2, 29), 0, 0,
        ),
        ("SBOM_ANNUAL", "audit_sbom", ANNUAL, date(2026, 3, 1), date(2030, 2, 28), 0, 0),
        ("DATA_RETURN", "data_protection", ONCE, date(2028, 3, 30), None, 0, 0),
        ("SUPPORT_END_NOTICE", "supply_continuity", ONCE, date(2029, 9, 1), None, 0, 0),
        ("MAINTENANCE_PERIOD", "technical_support", ONCE, date(2030, 2, 28), None, 0, 0),
        ("VULN_NOTICE", "vulnerability", EVENT, None, None, 24, 0),
        ("VULN_FIX_CRITICAL", "vulnerability", EVENT, None, None, 0, 7),
        ("VULN_FIX_HIGH", "vulnerability", EVENT, None, None, 0, 30),
        ("VULN_FIX_OTHER", "vulnerability", EVENT, None, None, 0, 90),
        ("SBOM_RELEASE", "audit_sbom", EVENT, None, None, 0, 30),
        ("INCIDENT_NOTICE", "incident", EVENT, None, None, 2, 0),
        ("CHANGE_NOTICE", "changes_subcontracting", EVENT, None, None, 0, 30),
    ]  # fmt: skip


def test_an_unsigned_agreement_counts_its_duties_from_signing() -> None:
    # given the sample purchase (contracted 1 March 2025) and an agreement not signed yet
    # (regression, issue 9: a draft made in late 2026 was born with due dates in March 2025)
    facts = sample_facts()
    # when its obligations are derived
    obligations = derive_obligations(facts.purchase, facts.terms, "en")
    # then no dated duty has a date: each says when it falls due, counted from signing
    # (clauses 3.2, 11.1, 13.2 "within 30 days of taking effect"; 16.3 takes effect on signing)
    assert [(o.code, o.due, o.until, o.due_rule) for o in obligations[:10]] == [
        ("CONTINUITY_PLAN", None, None, "30 days after signing"),
        ("DATA_LOCATIONS", None, None, "30 days after signing"),
        ("PERSONNEL_CHECKS", None, None, "30 days after signing"),
        ("REMOTE_ACCESS", None, None, "30 days after signing"),
        ("SBOM_INITIAL", None, None, "30 days after signing"),
        ("ATTESTATION", None, None, "every year from the first anniversary of signing"),
        ("SBOM_ANNUAL", None, None, "every year from the first anniversary of signing"),
        (
            "DATA_RETURN", None, None,
            "within 30 days after the term ends (3 years after signing)",
        ),
        (
            "SUPPORT_END_NOTICE", None, None,
            "180 days before the security maintenance period ends (the last day of 5 years "
            "after signing)",
        ),
        ("MAINTENANCE_PERIOD", None, None, "the last day of 5 years after signing"),
    ]  # fmt: skip
    assert [o.due_rule for o in derive_obligations(facts.purchase, facts.terms, "zh")][:1] == [
        "签署生效后 30 日内"
    ]


def test_signing_late_moves_every_date_from_the_signing_day() -> None:
    # given the sample purchase, contracted 1 March 2025, signed only on 10 June 2026
    facts = sample_facts()
    # when
    by_code = {
        o.code: o for o in derive_obligations(facts.purchase, facts.terms, "en", date(2026, 6, 10))
    }
    # then the onboarding duties fall 30 days after signing, the term and the maintenance period
    # run from it, and no date is before the signature (nothing is backdated)
    assert by_code["SBOM_INITIAL"].due == date(2026, 7, 10)
    assert by_code["SBOM_INITIAL"].due_rule == ""
    assert by_code["ATTESTATION"].due == date(2027, 6, 10)
    assert by_code["ATTESTATION"].until == date(2029, 6, 9)
    assert by_code["MAINTENANCE_PERIOD"].due == date(2031, 6, 9)
    assert by_code["DATA_RETURN"].due == date(2029, 7, 9)


def test_an_agreed_term_start_fixes_the_term_but_onboarding_waits_for_signing() -> None:
    # given terms the parties fixed to start on 1 January 2026, not signed yet
    facts = sample_facts()
    terms = dataclasses.replace(facts.terms, term_start=date(2026, 1, 1))
    # when
    by_code = {o.code: o for o in derive_obligations(facts.purchase, terms, "en")}
    # then term-based duties are dated, duties "within 30 days of taking effect" are not
    assert by_code["MAINTENANCE_PERIOD"].due == date(2030, 12, 31)
    assert by_code["SBOM_INITIAL"].due is None
    assert by_code["SBOM_INITIAL"].due_rule == "30 days after signing"


def test_conditional_obligations_follow_the_purchase() -> None:
    # given a purchase with no data handled and no remote maintenance
    facts = sample_facts(flags=False)
    # when
    codes = [o.code for o in derive_obligations(facts.purchase, facts.terms, "zh")]
    # then there is nothing to state about data locations or remote access
    assert "DATA_LOCATIONS" not in codes
    assert "REMOTE_ACCESS" not in codes
    assert len(codes) == 15


def test_terms_drive_the_dates_and_windows() -> None:
    # given shorter onboarding, a longer notice window and a 60-day data return
    facts = sample_facts()
    terms = dataclasses.replace(
        facts.terms, onboarding_days=10, vulnerability_notice_hours=48, data_return_days=60
    )
    # when the agreement is signed on 1 March 2025
    by_code = {o.code: o for o in derive_obligations(facts.purchase, terms, "en", date(2025, 3, 1))}
    # then
    assert by_code["SBOM_INITIAL"].due == date(2025, 3, 11)
    assert by_code["DATA_RETURN"].due == date(2028, 4, 29)
    assert by_code["VULN_NOTICE"].window_hours == 48
    assert by_code["VULN_NOTICE"].description == (
        "Notify the Operator within 48 hours of discovering or learning of a vulnerability "
        "in the supplied products or services."
    )


def test_descriptions_in_chinese() -> None:
    facts = sample_facts()
    signed = date(2025, 3, 1)
    by_code = {o.code: o for o in derive_obligations(facts.purchase, facts.terms, "zh", signed)}
    assert by_code["VULN_NOTICE"].title == "漏洞通知"
    assert (
        by_code["VULN_NOTICE"].description
        == "发现或获知所供产品和服务存在漏洞后 24 小时内通知甲方。"
    )
    assert by_code["MAINTENANCE_PERIOD"].description == (
        "持续提供安全维护（漏洞修补、安全更新和技术支持）至 2030年2月28日，不得提前终止。"
    )


def test_due_dates_expand_annual_duties() -> None:
    # given the sample obligations of an agreement signed on 1 March 2025
    facts = sample_facts()
    signed = date(2025, 3, 1)
    by_code = {o.code: o for o in derive_obligations(facts.purchase, facts.terms, "en", signed)}
    # then annual duties fall on each anniversary up to their end, others once or on events
    assert due_dates(by_code["ATTESTATION"]) == (date(2026, 3, 1), date(2027, 3, 1))
    assert due_dates(by_code["SBOM_ANNUAL"]) == (
        date(2026, 3, 1),
        date(2027, 3, 1),
        date(2028, 3, 1),
        date(2029, 3, 1),
    )
    assert due_dates(by_code["DATA_RETURN"]) == (date(2028, 3, 30),)
    assert due_dates(by_code["VULN_NOTICE"]) == ()


def test_annual_duty_from_29_february() -> None:
    # given an annual duty first due on 29 February 2028
    duty = Obligation(
        "X", "audit_sbom", "t", "d", ANNUAL, due=date(2028, 2, 29), until=date(2032, 3, 1)
    )
    # then common years use 28 February, leap years 29 February
    assert due_dates(duty) == (
        date(2028, 2, 29),
        date(2029, 2, 28),
        date(2030, 2, 28),
        date(2031, 2, 28),
        date(2032, 2, 29),
    )


def test_every_obligation_points_at_a_clause_of_both_templates() -> None:
    facts = sample_facts()
    for language in ("zh", "en"):
        clauses = set(find_template("security-agreement", language).clauses)
        obligations = derive_obligations(facts.purchase, facts.terms, language)
        assert {o.clause_id for o in obligations} <= clauses
        assert len({o.code for o in obligations}) == len(obligations)
