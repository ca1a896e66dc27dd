"""Storing SBOMs: complete, atomic, idempotent, versioned; scoped reads, usages, diff, export."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import func, select

from procurement.enums import Role
from procurement.errors import NotFound, PermissionDenied
from procurement.models import (
    AuditEvent,
    SbomComponent,
    SbomDependency,
    SbomVersion,
    SbomVulnerability,
)
from procurement.permissions import SYSTEM, Principal
from procurement.registry.actions import purchases
from procurement.sboms import export as sbom_export
from procurement.sboms import reads as sbom_reads
from procurement.sboms import usages as sbom_usages
from procurement.sboms.actions import SbomRejectedError, ingest_sbom
from sbom import parse_sbom
from tests.conftest import CORPUS
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import (
    COMMONS,
    LOG4J_FIXED,
    LOG4J_OLD,
    NETTY,
    firmware_sbom,
    generated,
)
from tests.support.world import World, purchase_input, row_counts

LIMIT = 50 * 1024 * 1024


async def count(db: DatabaseUnderTest, model: type, **where: int) -> int:
    async with db.sessions() as session:
        stmt = select(func.count()).select_from(model)
        for column, value in where.items():
            stmt = stmt.where(getattr(model, column) == value)
        return int(await session.scalar(stmt) or 0)


async def test_generated_sbom_is_stored_completely(db: DatabaseUnderTest, world: World) -> None:
    # given a generated 1,000-component document (some nested) with dependencies and VEX
    document = generated(1000, seed=7)
    parsed = parse_sbom(document, max_bytes=LIMIT)
    # when an admin ingests it
    async with db.sessions() as session:
        result = await ingest_sbom(session, SYSTEM, world.purchase_a_cn, document, max_bytes=LIMIT)
    # then every record is stored, counted against the raw document
    assert result.created is True
    assert parsed.raw_component_count == 1000
    assert await count(db, SbomComponent, version_id=result.version.id) == 1000
    assert result.version.component_count == result.version.raw_component_count == 1000
    assert await count(db, SbomDependency, version_id=result.version.id) == len(parsed.dependencies)
    vulns = await count(db, SbomVulnerability, version_id=result.version.id)
    assert vulns == len(parsed.vulnerabilities) > 0
    assert result.version.sha256 == parsed.sha256
    assert (result.version.number, result.version.superseded_at) == (1, None)


async def test_same_document_twice_is_stored_once(db: DatabaseUnderTest, world: World) -> None:
    document = firmware_sbom([LOG4J_OLD, COMMONS])
    async with db.sessions() as session:
        first = await ingest_sbom(session, SYSTEM, world.purchase_a_cn, document, max_bytes=LIMIT)
        before = await row_counts(session)
        again = await ingest_sbom(session, SYSTEM, world.purchase_a_cn, document, max_bytes=LIMIT)
        after = await row_counts(session)
    assert (first.created, again.created) == (True, False)
    assert again.version.id == first.version.id
    assert after == before


async def test_new_document_supersedes_and_diff_shows_changes(
    db: DatabaseUnderTest, world: World
) -> None:
    # given version 1.0 of the firmware SBOM
    async with db.sessions() as session:
        v1 = await ingest_sbom(
            session,
            SYSTEM,
            world.purchase_a_cn,
            firmware_sbom([LOG4J_OLD, COMMONS]),
            max_bytes=LIMIT,
        )
        # when version 1.1 arrives: log4j upgraded, commons-io dropped, netty added
        v2 = await ingest_sbom(
            session,
            SYSTEM,
            world.purchase_a_cn,
            firmware_sbom([LOG4J_FIXED, NETTY], product_version="1.1"),
            max_bytes=LIMIT,
        )
        diff = await sbom_reads.diff_versions(session, SYSTEM, v1.version.id, v2.version.id)
        history = await sbom_reads.history_by_series_ids(session, SYSTEM, [v1.sbom.id])
        current = await sbom_reads.current_versions_by_purchase_ids(
            session, SYSTEM, [world.purchase_a_cn]
        )
    # then both are versions of one SBOM, the first superseded, and the diff is exact
    assert v2.sbom.id == v1.sbom.id
    assert v2.version.number == 2
    assert [v.number for v in history[v1.sbom.id]] == [2, 1]
    assert history[v1.sbom.id][1].superseded_at is not None
    assert [v.id for v in current[world.purchase_a_cn]] == [v2.version.id]
    assert [c.name for c in diff.added] == ["netty-handler"]
    assert [c.name for c in diff.removed] == ["commons-io"]
    assert [(c.old.version, c.new.version) for c in diff.version_changed] == [("2.14.1", "2.17.1")]
    assert diff.unchanged == 0


async def test_invalid_document_stores_nothing_but_an_audit_event(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a document whose first component lacks its required name
    document = orjson.loads(firmware_sbom([LOG4J_OLD]))
    del document["components"][0]["name"]
    async with db.sessions() as session:
        before = await row_counts(session)
        # when it is ingested
        with pytest.raises(SbomRejectedError) as raised:
            await ingest_sbom(
                session, SYSTEM, world.purchase_a_cn, orjson.dumps(document), max_bytes=LIMIT
            )
        after = await row_counts(session)
        event = await session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    # then the error points into the document, and only the rejection was recorded
    issue = raised.value.issues[0]
    assert (str(issue.code), issue.location) == ("SCHEMA_INVALID", "/components/0")
    assert raised.value.errors[0].field == "file/components/0"
    # the refusal is audited and told to the purchase's subscribers (an outbox row)
    assert after == before | {
        "audit_events": before["audit_events"] + 1,
        "notification_events": before["notification_events"] + 1,
    }
    assert event is not None and event.action == "sbom.rejected"
    assert event.after is not None and event.after["errors"][0]["location"] == "/components/0"


async def test_upload_permissions(db: DatabaseUnderTest, world: World) -> None:
    document = firmware_sbom([COMMONS])
    vendor_cn = Principal(Role.VENDOR, "cn", token_id=None, vendor_id=world.vendor_cn)
    legal = Principal(Role.LEGAL, "legal", operator_id=world.operator_a)
    async with db.sessions() as session:
        before = await row_counts(session)
        # a vendor may not upload for another vendor's purchase (it cannot even see it)
        with pytest.raises(NotFound):
            await ingest_sbom(session, vendor_cn, world.purchase_a_us, document, max_bytes=LIMIT)
        # legal staff may read SBOMs but not upload them
        with pytest.raises(PermissionDenied):
            await ingest_sbom(session, legal, world.purchase_a_cn, document, max_bytes=LIMIT)
        assert await row_counts(session) == before
        # the vendor may upload for its own purchase
        result = await ingest_sbom(
            session, vendor_cn, world.purchase_a_cn, document, max_bytes=LIMIT
        )
    assert result.created and result.version.uploaded_by == "cn"


async def test_component_usages_with_a_vers_range(db: DatabaseUnderTest, world: World) -> None:
    # given log4j 2.14.1 in operator A's routers and 2.17.1 in operator B's switches
    async with db.sessions() as session:
        await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, firmware_sbom([LOG4J_OLD]), max_bytes=LIMIT
        )
        await ingest_sbom(
            session,
            SYSTEM,
            world.purchase_b_cn,
            firmware_sbom([LOG4J_FIXED, COMMONS]),
            max_bytes=LIMIT,
        )
        purl = "pkg:maven/org.apache.logging.log4j/log4j-core"
        # when asking across all purchases, and within the vulnerable range
        every = await sbom_usages.component_usages(session, SYSTEM, purl, None)
        vulnerable = await sbom_usages.component_usages(
            session, SYSTEM, purl, "vers:maven/>=2.0.0|<2.17.1"
        )
        # and as operator A's reviewer, who sees only A's purchases
        reviewer = Principal(Role.REVIEWER, "r", operator_id=world.operator_a)
        scoped = await sbom_usages.component_usages(session, reviewer, purl, None)
    # then
    assert [(u.purchase_id, u.component.version) for u in every] == [
        (world.purchase_a_cn, "2.14.1"),
        (world.purchase_b_cn, "2.17.1"),
    ]
    assert [(u.purchase_id, u.component.version) for u in vulnerable] == [
        (world.purchase_a_cn, "2.14.1")
    ]
    assert [u.purchase_id for u in scoped] == [world.purchase_a_cn]


async def test_export_is_valid_cyclonedx_with_the_same_components(
    db: DatabaseUnderTest, world: World
) -> None:
    document = generated(300, seed=3)
    async with db.sessions() as session:
        result = await ingest_sbom(session, SYSTEM, world.purchase_a_cn, document, max_bytes=LIMIT)
        exported = await sbom_export.export_json(session, SYSTEM, result.version.id)
    original, again = parse_sbom(document, max_bytes=LIMIT), parse_sbom(exported, max_bytes=LIMIT)
    assert again.spec_version == "1.6"

    def key(c: object) -> tuple[object, ...]:
        return (c.path, c.name, c.version, c.purl, c.supplier_name, c.hashes, c.licenses)  # type: ignore[attr-defined]

    assert [key(c) for c in again.components] == [key(c) for c in original.components]
    assert len(again.dependencies) == len(original.dependencies)
    assert len(again.vulnerabilities) == len(original.vulnerabilities)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("path", "components"),
    [
        ("SBOM/keycloak-10.0.2/bom.json", 903),
        ("SBOM/keycloak-10.0.2/bom.xml", 903),
        ("SBOM/dropwizard-1.3.15/bom.json", 167),
    ],
)
async def test_real_corpus_documents_are_stored_with_every_component(
    db: DatabaseUnderTest, world: World, path: str, components: int
) -> None:
    file = CORPUS / path
    if not file.exists():
        pytest.skip(f"{file} is not here (the shared SBOM corpus is absent)")
    async with db.sessions() as session:
        result = await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, file.read_bytes(), max_bytes=LIMIT
        )
    assert result.version.component_count == components
    assert await count(db, SbomComponent, version_id=result.version.id) == components
    assert await count(db, SbomVersion) == 1


@pytest.mark.corpus
async def test_every_corpus_document_is_stored_with_every_component(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the whole shared corpus (JSON and XML, 1.0-1.6, SBOM/VEX/HBOM/SaaSBOM/OBOM/CBOM)
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here (the shared SBOM corpus is absent)")
    documents = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".json", ".xml"))
    assert len(documents) == 82
    stored: dict[str, tuple[int, int]] = {}
    async with db.sessions() as session:
        for path in documents:
            # when each is uploaded, as the SBOM of a purchase of its own (an upload rescreens
            # every SBOM of its purchase: 82 on one purchase cost quadratic time, checking no more)
            name = str(path.relative_to(CORPUS))
            data = purchase_input(world.operator_a, world.vendor_cn, name)
            purchase = await purchases.register_purchase(session, SYSTEM, data)
            result = await ingest_sbom(
                session, SYSTEM, purchase.id, path.read_bytes(), max_bytes=LIMIT, name=name
            )
            expected = parse_sbom(path.read_bytes(), max_bytes=LIMIT).raw_component_count
            rows = await session.scalar(
                select(func.count())
                .select_from(SbomComponent)
                .where(SbomComponent.version_id == result.version.id)
            )
            stored[name] = (int(rows or 0), expected)
    # then every one was accepted and every component (nested included) has its row
    assert {name for name, (rows, raw) in stored.items() if rows != raw} == set()
    assert sum(rows for rows, _raw in stored.values()) == sum(raw for _rows, raw in stored.values())
    assert stored["SBOM/juice-shop/via_npm/bare/bom.1.4.json"] == (1115, 1115)
