"""Offline OSV dump imports: counts, incremental skips, the re-match that rescreens only purchases
whose matched vulnerabilities changed, and an interrupted import completed by running it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from procurement.models import AdvisoryRecord, AuditEvent
from procurement.permissions import SYSTEM
from procurement.screening.actions import advisory_dump
from procurement.screening.actions.advisory_dump import DumpReport, import_osv_dump
from tests.support.databases import DatabaseUnderTest
from tests.support.osv_dumps import dump_of, record
from tests.support.reviews import Component, SbomSpec, insert_sbom, screenings_of
from tests.support.world import World

BITNAMI: dict[str, Any] = {
    "id": "BIT-2024-0001",
    "modified": "2024-02-01T00:00:00Z",
    "affected": [{"package": {"ecosystem": "Bitnami", "name": "nginx"}, "versions": ["1.0"]}],
}
BAD_RANGE = record("GHSA-67hx-6x53-jw92", id="GHSA-bad0-rang-e000")
BAD_RANGE["affected"][0]["ranges"][0]["type"] = "BOGUS"
NO_MODIFIED = {k: v for k, v in record("DSA-5532-1").items() if k != "modified"}


def first_dump(tmp_path: Path) -> Path:
    return dump_of(
        tmp_path / "all.zip",
        record("GHSA-35jh-r3h4-6jhm"),  # lodash < 4.17.21
        record("GHSA-jfh8-c2jp-5v3q"),  # log4j-core
        record("GHSA-h5c8-rqwp-cp95"),  # Jinja2 < 3.1.3
        record("PYSEC-2021-0000", withdrawn="2022-01-01T00:00:00Z"),
        BITNAMI,
        BAD_RANGE,
        NO_MODIFIED,
        extra={"broken.json": b'{"id": "X-1", ', "README.txt": b"hello"},
    )


async def given_two_purchases_with_sboms(db: DatabaseUnderTest, world: World) -> None:
    async with db.sessions() as session:
        # purchase A: lodash 4.17.20 and log4j-core 2.14.1, both affected
        await insert_sbom(
            session,
            world.purchase_a_cn,
            SbomSpec(
                components=[
                    Component("lodash", "npm", "4.17.20"),
                    Component(
                        "log4j-core", "maven", "2.14.1", namespace="org.apache.logging.log4j"
                    ),
                ]
            ),
        )
        # purchase B: jinja2 3.1.4, named by the Jinja2 advisory but fixed since 3.1.3
        await insert_sbom(
            session,
            world.purchase_b_cn,
            SbomSpec(components=[Component("jinja2", "pypi", "3.1.4")]),
        )
        await session.commit()


async def run_import(db: DatabaseUnderTest, path: Path) -> DumpReport:
    async with db.sessions() as session:
        return await import_osv_dump(session, SYSTEM, [(path, "all.zip")])


async def screening_ids(db: DatabaseUnderTest, purchase_id: int) -> list[tuple[int, str]]:
    async with db.sessions() as session:
        return [(r.id, r.trigger) for r in await screenings_of(session, purchase_id)]


def counts(report: DumpReport) -> dict[str, Any]:
    d = report.as_dict()
    return {
        k: d[k] for k in ("read", "added", "updated", "skipped", "withdrawn", "unmatchable")
    } | {
        "invalidCount": d["invalidCount"],
        "rematch": d["rematch"],
        "screened": d["rescreen"]["screened"],
    }


async def test_a_dump_is_imported_then_skipped_then_updated_and_only_affected_purchases_rescreen(
    db: DatabaseUnderTest, world: World, tmp_path: Path
) -> None:
    # given purchase A with affected components and purchase B with an unaffected jinja2
    await given_two_purchases_with_sboms(db, world)
    b_before = await screening_ids(db, world.purchase_b_cn)
    # when the dump is imported
    report = await run_import(db, first_dump(tmp_path))
    # then every record is accounted for, the bad ones named with their file and error
    assert counts(report) == {
        "read": 9,
        "added": 5,
        "updated": 0,
        "skipped": 0,
        "withdrawn": 1,
        "unmatchable": 1,
        "invalidCount": 4,
        "rematch": {"advisories": 5, "components": 3, "purchases": 1},
        "screened": 1,
    }
    assert sorted((i.source, i.error) for i in report.invalid) == [
        ("all.zip:DSA-5532-1.json", "modified: is required in an OSV record"),
        (
            "all.zip:GHSA-bad0-rang-e000.json",
            "affected[0].ranges[0].type: unknown range type 'BOGUS'; "
            "expected SEMVER, ECOSYSTEM or GIT",
        ),
        ("all.zip:README.txt", "not a .json file: an OSV dump holds only records"),
        (
            "all.zip:broken.json",
            "not valid JSON: unexpected end of data: line 1 column 15 (char 14)",
        ),
    ]
    # and A was rescreened for the advisories, B (no match before or after) was not
    a_after = await screening_ids(db, world.purchase_a_cn)
    assert a_after[-1][1] == "advisories.imported"
    assert await screening_ids(db, world.purchase_b_cn) == b_before

    # when the same dump is imported again, every valid record is skipped, nothing re-matched
    again = await run_import(db, first_dump(tmp_path))
    assert counts(again) == {
        "read": 9,
        "added": 0,
        "updated": 0,
        "skipped": 5,
        "withdrawn": 0,
        "unmatchable": 0,
        "invalidCount": 4,
        "rematch": {"advisories": 0, "components": 0, "purchases": 0},
        "screened": 0,
    }
    assert await screening_ids(db, world.purchase_a_cn) == a_after

    # when a newer dump changes the lodash advisory (4.17.20 now fixed) and the Jinja2 one
    # (only its summary), and carries an older log4j record
    lodash = record("GHSA-35jh-r3h4-6jhm", modified="2025-01-01T00:00:00Z")
    lodash["affected"][0]["ranges"][0]["events"][1] = {"fixed": "4.17.19"}
    jinja = record("GHSA-h5c8-rqwp-cp95", modified="2025-01-01T00:00:00Z", summary="Reworded")
    older = record("GHSA-jfh8-c2jp-5v3q", modified="2020-01-01T00:00:00Z")
    changed = await run_import(db, dump_of(tmp_path / "newer.zip", lodash, jinja, older))
    # then the two newer records are updated, the older one skipped, and only A is rescreened:
    # B's jinja2 is touched by the changed advisory but its matches are the same (none)
    assert counts(changed) == {
        "read": 3,
        "added": 0,
        "updated": 2,
        "skipped": 1,
        "withdrawn": 0,
        "unmatchable": 0,
        "invalidCount": 0,
        "rematch": {"advisories": 2, "components": 2, "purchases": 1},
        "screened": 1,
    }
    assert await screening_ids(db, world.purchase_b_cn) == b_before
    async with db.sessions() as session:
        stored = await session.scalar(
            select(AdvisoryRecord).where(AdvisoryRecord.osv_id == "GHSA-35jh-r3h4-6jhm")
        )
        assert stored is not None
        assert (stored.modified, stored.rematch_pending, stored.matched_data) == (
            "2025-01-01T00:00:00Z",
            False,
            None,
        )
        # and each import wrote one audit event
        audits = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "advisories.dump_imported")
        )
        assert audits == 3


async def test_an_interrupted_import_is_completed_by_running_it_again(
    db: DatabaseUnderTest, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given purchase A with affected components, and an import that dies after storing
    await given_two_purchases_with_sboms(db, world)
    a_before = await screening_ids(db, world.purchase_a_cn)

    async def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(advisory_dump, "rematch_pending", crash)
    with pytest.raises(RuntimeError):
        await run_import(db, first_dump(tmp_path))
    assert await screening_ids(db, world.purchase_a_cn) == a_before
    monkeypatch.undo()
    # when it is run again
    report = await run_import(db, first_dump(tmp_path))
    # then the stored records are skipped and the pending re-match is done: A is rescreened
    assert (report.added, report.skipped, report.rematch.advisories) == (0, 5, 5)
    assert (report.rematch.purchases, report.rematch.rescreen.screened) == (1, 1)
    after = await screening_ids(db, world.purchase_a_cn)
    assert len(after) == len(a_before) + 1 and after[-1][1] == "advisories.imported"


async def test_components_are_found_whatever_the_spelling_of_their_name(
    db: DatabaseUnderTest, world: World, tmp_path: Path
) -> None:
    # given components spelt "Example.Pkg" and "example__pkg" (PEP 503: both are example-pkg),
    # in two purchases, and a version the advisory for "example_pkg" lists
    async with db.sessions() as session:
        for purchase, name in (
            (world.purchase_a_cn, "Example.Pkg"),
            (world.purchase_b_cn, "example__pkg"),
        ):
            spec = SbomSpec(components=[Component(name, "pypi", "1.1")])
            await insert_sbom(session, purchase, spec)
        await session.commit()
    # when the advisory is imported
    report = await run_import(db, dump_of(tmp_path / "pypi.zip", record("PYSEC-2021-0000")))
    # then both components were matched again and both purchases rescreened
    assert (report.rematch.components, report.rematch.purchases) == (2, 2)
    for purchase in (world.purchase_a_cn, world.purchase_b_cn):
        assert (await screening_ids(db, purchase))[-1][1] == "advisories.imported"
