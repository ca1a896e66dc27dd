"""importAdvisories: OSV files matched against stored SBOM components, with VEX statements."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import finished_job
from tests.support.reviews import Component, SbomSpec, Vex, current_screening, insert_sbom
from tests.support.world import World, gql, row_counts

OSV = Path(__file__).resolve().parents[1] / "unit" / "screening" / "osv"
IMPORT = """mutation I($input: ImportAdvisoriesInput!) { importAdvisories(input: $input) {
  advisoryImport { fileName added updated unchanged unmatchable }
  job { id state } errors { field message code } } }"""
LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
COMPONENTS = [
    Component("lodash", "npm", "4.17.20"),
    Component("log4j-core", "maven", "2.14.1", namespace="org.apache.logging.log4j"),
    Component("jinja2", "pypi", "3.1.4"),  # fixed in 3.1.3: not affected
]


def osv_file(*names: str) -> str:
    return json.dumps([json.loads((OSV / f"{n}.json").read_text()) for n in names])


async def import_file(
    client: httpx.AsyncClient, world: World, text: str, db: DatabaseUnderTest | None = None
) -> dict[str, Any]:
    """Import through the API; with ``db``, the re-match job runs too and the payload carries
    its outcome's rescreen counts as ``advisoryImport.rescreen`` (None when no job was needed)."""
    variables = {"input": {"fileName": "osv-2025-10.json", "osvJson": text}}
    status, body = await gql(client, world.secrets["admin"], IMPORT, variables)
    assert status == 200 and "errors" not in body, body
    result: dict[str, Any] = body["data"]["importAdvisories"]
    job = result.pop("job")
    if db is not None and result["advisoryImport"] is not None:
        done = job and await finished_job(db, client, world.secrets["admin"], job["id"])
        result["advisoryImport"]["rescreen"] = done and done["outcome"]["rescreen"]
    return result


async def test_imported_advisories_flag_affected_components(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a purchase whose current SBOM has lodash 4.17.20, log4j-core 2.14.1 and jinja2 3.1.4
    async with db.sessions() as session:
        await insert_sbom(session, world.purchase_a_cn, SbomSpec(components=COMPONENTS))
        await session.commit()
    text = osv_file("GHSA-35jh-r3h4-6jhm", "GHSA-jfh8-c2jp-5v3q", "GHSA-h5c8-rqwp-cp95")
    # when the admin imports the lodash, log4j and Jinja2 advisories
    payload = await import_file(client, world, text, db)
    # then they are stored and the one purchase with an SBOM is screened again
    assert payload == {
        "advisoryImport": {
            "fileName": "osv-2025-10.json",
            "added": ["GHSA-35jh-r3h4-6jhm", "GHSA-jfh8-c2jp-5v3q", "GHSA-h5c8-rqwp-cp95"],
            "updated": [],
            "unchanged": [],
            "unmatchable": [],
            "rescreen": {"screened": 1, "changed": 1, "verdictsChanged": 1, "casesOpened": 0},
        },
        "errors": [],
    }
    async with db.sessions() as session:
        record = await current_screening(session, world.purchase_a_cn)
    [finding] = [f for f in record.findings if f["rule_id"] == "KNOWN_VULNERABILITIES"]
    assert (record.verdict.value, record.trigger) == ("YES", "advisories.imported")
    assert finding["severity"] == "CRITICAL"
    assert finding["evidence"] == {
        "open_count": 2,
        "closed_count": 0,
        "by_severity": {"CRITICAL": 1, "HIGH": 1},
        "vulnerability_ids": ["GHSA-35jh-r3h4-6jhm", "GHSA-jfh8-c2jp-5v3q"],
        "component_purls": [LOG4J, "pkg:npm/lodash@4.17.20"],
    }
    # when the same file is imported again, nothing changes and nothing is rescreened
    again = await import_file(client, world, text, db)
    assert again["advisoryImport"]["unchanged"] == payload["advisoryImport"]["added"]
    assert again["advisoryImport"]["rescreen"] is None  # no job: nothing to match again


async def test_a_vex_not_affected_statement_closes_the_matching_advisory(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given the vendor's SBOM says log4j-core is not affected by CVE-2021-44228 (the advisory's
    # alias) and lodash's CVE is exploitable
    vex = [
        Vex("CVE-2021-44228", LOG4J, severity="critical", state="not_affected"),
        Vex("CVE-2021-23337", "pkg:npm/lodash@4.17.20", severity="high", state="exploitable"),
    ]
    async with db.sessions() as session:
        await insert_sbom(
            session, world.purchase_a_cn, SbomSpec(components=COMPONENTS, vulnerabilities=vex)
        )
        await session.commit()
    # when both advisories are imported
    await import_file(client, world, osv_file("GHSA-35jh-r3h4-6jhm", "GHSA-jfh8-c2jp-5v3q"), db)
    # then only the lodash flaw is open, once (VEX and advisory are the same flaw), rated HIGH
    async with db.sessions() as session:
        record = await current_screening(session, world.purchase_a_cn)
    [finding] = [f for f in record.findings if f["rule_id"] == "KNOWN_VULNERABILITIES"]
    assert finding["severity"] == "HIGH"
    assert finding["evidence"]["vulnerability_ids"] == ["CVE-2021-23337"]
    assert finding["evidence"]["closed_count"] == 1


async def test_bad_osv_files_are_refused_with_the_path_and_nothing_is_stored(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    broken = await import_file(client, world, "{not json")
    assert [(e["field"], e["code"]) for e in broken["errors"]] == [("osvJson", "INVALID")]
    record = json.loads((OSV / "GHSA-35jh-r3h4-6jhm.json").read_text())
    no_id = {k: v for k, v in record.items() if k != "id"}
    missing = await import_file(client, world, json.dumps([record, no_id]))
    assert missing == {
        "advisoryImport": None,
        "errors": [{"field": "osvJson[1].id", "message": "is required", "code": "REQUIRED"}],
    }
    twice = await import_file(client, world, json.dumps([record, record]))
    assert twice["errors"] == [
        {
            "field": "osvJson",
            "message": "advisories listed twice: GHSA-35jh-r3h4-6jhm",
            "code": "DUPLICATE",
        }
    ]
    async with db.sessions() as session:
        assert await row_counts(session) == before
