"""schema.screening.types.findings_of: a stored findings list becomes GraphQL findings once per
list object (the current screening's lists are shared, procurement/shared_json.py)."""

from __future__ import annotations

from typing import Any

from procurement.screening import Severity
from schema.screening.types import findings_of


def stored(rule: str, severity: str) -> dict[str, Any]:
    return {
        "rule_id": rule,
        "factor": 1,
        "severity": severity,
        "explanation": "e",
        "evidence": {"purchase_id": "1"},
        "legal_basis": "CII Regulations Art. 19",
        "missing_facts": [],
    }


def test_the_same_list_gives_the_same_findings_and_an_equal_list_its_own() -> None:
    # given a stored findings list, and another list with the same content
    raw = [stored("REMOTE_ACCESS", "HIGH"), stored("APPLICABILITY", "INFO")]
    twin = [dict(f) for f in raw]

    # when each is made into GraphQL findings, the first twice
    first, again, other = findings_of(raw), findings_of(raw), findings_of(twin)

    # then the same list object answers with the same objects, and the twin gets its own
    assert again is first
    assert other is not first
    assert [(f.rule, f.severity, f.factor, f.legal_basis) for f in other] == [
        ("REMOTE_ACCESS", Severity.HIGH, 1, "CII Regulations Art. 19"),
        ("APPLICABILITY", Severity.INFO, 1, "CII Regulations Art. 19"),
    ]


def test_a_severity_that_is_no_member_is_kept_as_stored() -> None:
    # given a stored finding whose severity the enum does not know
    findings = findings_of([stored("OLD_RULE", "SEVERE")])

    # then it is passed on as stored (the field reports it, as before)
    assert findings[0].severity == "SEVERE"
