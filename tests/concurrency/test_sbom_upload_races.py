"""Uploads to one SBOM series at the same moment, as real concurrent requests on both databases:
none gets a 500 (issue 11: 22 of 22 pairs did, on a unique violation); each becomes the next
version, in some order, with distinct numbers."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from procurement.models import Sbom, SbomVersion
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import COMMONS, LOG4J_OLD, NETTY, firmware_sbom
from tests.support.world import World


async def test_three_uploads_to_one_series_at_once_become_three_versions(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given three different firmware SBOMs of one product (one series), sent at the same moment
    documents = [firmware_sbom([COMMONS]), firmware_sbom([NETTY]), firmware_sbom([LOG4J_OLD])]
    headers = {"authorization": f"Bearer {world.secrets['vendor']}"}
    url = f"/api/purchases/{world.purchase_a_cn}/sbom?name=firmware"
    answers = await asyncio.gather(
        *(client.put(url, content=document, headers=headers) for document in documents)
    )
    # then every upload is stored as a version of the one series, numbered 1 to 3
    assert sorted(a.status_code for a in answers) == [201, 201, 201], [a.text for a in answers]
    assert sorted(a.json()["version"] for a in answers) == [1, 2, 3]
    async with db.sessions() as session:
        series = list(
            await session.scalars(select(Sbom).where(Sbom.purchase_id == world.purchase_a_cn))
        )
        numbers = list(
            await session.scalars(
                select(SbomVersion.number).where(SbomVersion.sbom_id == series[0].id)
                .order_by(SbomVersion.number)
            )
        )  # fmt: skip
        current = list(
            await session.scalars(
                select(SbomVersion.number).where(
                    SbomVersion.sbom_id == series[0].id, SbomVersion.superseded_at.is_(None)
                )
            )
        )
    assert (len(series), numbers, current) == (1, [1, 2, 3], [3])
