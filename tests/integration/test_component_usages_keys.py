"""componentUsages filtered on the version key in SQL answers exactly what the row-by-row univers
check answered before, page by page, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from packageurl import PackageURL
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import Sbom, SbomComponent, SbomVersion
from procurement.permissions import SYSTEM
from procurement.sboms import usages as sbom_usages
from procurement.sboms.actions import ingest_sbom
from sbom.version_key import version_key
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import firmware_sbom, maven
from tests.support.world import World

LIMIT = 1 << 20
LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core"
LODASH = "pkg:npm/lodash"
ZLIB = "pkg:deb/debian/zlib1g"


def _npm(version: str) -> dict[str, Any]:
    return {"type": "library", "bom-ref": f"lodash@{version}", "name": "lodash",
            "version": version, "purl": f"pkg:npm/lodash@{version}"}  # fmt: skip


def _deb(version: str) -> dict[str, Any]:
    return {"type": "library", "bom-ref": f"zlib@{version}", "name": "zlib1g", "version": version,
            "purl": f"pkg:deb/debian/zlib1g@{version}?arch=amd64"}  # fmt: skip


def _log4j(*versions: str) -> list[dict[str, Any]]:
    return [maven("org.apache.logging.log4j", "log4j-core", v) for v in versions]


async def _reference(
    session: AsyncSession, purl: str, version_range: str | None
) -> list[tuple[int, int]]:
    """The answer as componentUsages computed it before keys: every row of the package, in
    answer order, checked by univers one by one."""
    package, parsed = sbom_usages.parse_usage_query(purl, version_range)
    stmt = (
        select(SbomComponent, Sbom.purchase_id)
        .join(SbomVersion, SbomVersion.id == SbomComponent.version_id)
        .join(Sbom, Sbom.id == SbomVersion.sbom_id)
        .where(
            SbomComponent.purl_type == package.type,
            SbomComponent.purl_namespace == package.namespace,
            SbomComponent.purl_name == package.name,
            SbomVersion.superseded_at.is_(None),
        )
        .order_by(Sbom.purchase_id, SbomVersion.id, SbomComponent.position)
    )
    if not package.namespace:
        stmt = stmt.where(SbomComponent.purl_namespace.is_(None))
    if package.version:
        stmt = stmt.where(SbomComponent.purl_version == package.version)
    return [
        (purchase_id, component.id)
        for component, purchase_id in await session.execute(stmt)
        if parsed is None or sbom_usages.in_range(component.purl_version, parsed)
    ]


CASES = [
    (LOG4J, None),
    (LOG4J, "vers:maven/>=2.0.0|<2.17.1"),
    (LOG4J, "vers:maven/<2.3.2"),
    (LOG4J, "vers:maven/>2.0|!=2.14.1"),
    (LOG4J, "vers:maven/=2.14.1|=2.0-beta9"),
    (LOG4J, "vers:maven/<=2.0|>=2.17"),
    (LOG4J, "vers:maven/>=2.0-beta9|<2.15"),  # a bound without a key: univers alone
    (LOG4J, "vers:maven/*"),
    (LODASH, "vers:npm/>=4.0.0|<4.17.21"),
    (LODASH, "vers:npm/<5"),
    (ZLIB, "vers:deb/>=1:1.2.13"),  # an ecosystem without keys
    (PackageURL.from_string(LOG4J).to_string() + "@2.14.1", None),
]


@pytest.mark.parametrize("max_ids", [sbom_usages.MAX_IDS_IN_CONDITION, 0])
async def test_keyed_answers_equal_row_by_row_answers(
    db: DatabaseUnderTest, world: World, monkeypatch: pytest.MonkeyPatch, max_ids: int
) -> None:
    # max_ids 0 sends every range with unkeyed matches through the row-by-row page
    monkeypatch.setattr(sbom_usages, "MAX_IDS_IN_CONDITION", max_ids)
    # given three purchases with log4j in keyed and unkeyed versions, lodash with a
    # pre-release, a Debian package, and a superseded version that must not count
    uploads = [
        (world.purchase_a_cn, [*_log4j("2.14.1", "2.0-beta9", "2.17.1", "2.0"), _npm("4.17.20")]),
        (world.purchase_a_us, [*_log4j("1.2.17", "2.3.2", "2.17.1.0"), _deb("1:1.2.13.dfsg-1")]),
        (world.purchase_b_cn, [*_log4j("2.14.1", "2.15.0-rc1"), _npm("5.0.0-rc.1"), _npm("4.0")]),
    ]
    async with db.sessions() as session:
        await ingest_sbom(
            session, SYSTEM, world.purchase_b_cn, firmware_sbom(_log4j("2.1"), product_version="0"),
            max_bytes=LIMIT,
        )  # fmt: skip
        for purchase, components in uploads:
            await ingest_sbom(session, SYSTEM, purchase, firmware_sbom(components), max_bytes=LIMIT)
        stored_keys = {
            version: key
            for version, key in await session.execute(
                select(SbomComponent.purl_version, SbomComponent.version_key)
            )
        }
        for purl, version_range in CASES:
            expected = await _reference(session, purl, version_range)
            # when asking for everything at once, and two at a time
            whole = await sbom_usages.component_usages_page(session, SYSTEM, purl, version_range)
            pages = [
                await sbom_usages.component_usages_page(
                    session, SYSTEM, purl, version_range, offset=offset, limit=2
                )
                for offset in range(0, len(expected) + 2, 2)
            ]
            # then both are the old answer, with the same counts on every page
            got = [(u.purchase_id, u.component.id) for u in whole.usages]
            assert got == expected, (purl, version_range)
            paged = [(u.purchase_id, u.component.id) for p in pages for u in p.usages]
            assert paged == expected, (purl, version_range)
            purchases = len({p for p, _c in expected})
            for page in [whole, *pages]:
                assert (page.total_count, page.purchase_count) == (len(expected), purchases)
    # and the keys were written at upload, in the same pass
    assert stored_keys["2.17.1"] == version_key("maven", "2.17.1") == b"12.217.11"
    assert stored_keys["2.0-beta9"] is None
    assert stored_keys["1:1.2.13.dfsg-1"] is None


async def test_known_answers(db: DatabaseUnderTest, world: World) -> None:
    # given log4j 2.14.1 and 2.0-beta9 in one purchase and 2.17.1 in another
    async with db.sessions() as session:
        await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, firmware_sbom(_log4j("2.14.1", "2.0-beta9")),
            max_bytes=LIMIT,
        )  # fmt: skip
        await ingest_sbom(
            session, SYSTEM, world.purchase_b_cn, firmware_sbom(_log4j("2.17.1")), max_bytes=LIMIT
        )
        # when asking for the Log4Shell range
        page = await sbom_usages.component_usages_page(
            session, SYSTEM, LOG4J, "vers:maven/>=2.0-beta9|<2.17.1", limit=1
        )
    # then both vulnerable versions count, the first page has one, in answer order
    assert (page.total_count, page.purchase_count) == (2, 1)
    assert [u.component.version for u in page.usages] == ["2.14.1"]
