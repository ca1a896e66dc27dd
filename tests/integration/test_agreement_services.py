"""Agreement services used by other code: the signed-agreement look-up the exposure calculator
reuses, and the registration of newly shipped template versions."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from contract_templates import load_manifest
from procurement.agreements.actions.generate import GenerateInput, generate_agreement
from procurement.agreements.reads import has_signed_agreement
from procurement.agreements.store import templates as agreement_templates
from procurement.agreements.store.common import signed_agreement_purchase_ids
from procurement.errors import InputError
from procurement.models import AgreementTemplate, AuditEvent, Purchase
from procurement.permissions import SYSTEM
from tests.support.agreements import FULL_OVERRIDES, generate, send, sign
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


async def test_signed_agreement_purchase_ids(db: DatabaseUnderTest, world: World) -> None:
    # given one purchase with a signed agreement and one with a draft only
    async with db.sessions() as session:
        signed = (await generate(session, world.purchase_a_cn)).id
        await send(session, signed)
        await sign(session, signed)
        await generate(session, world.purchase_b_cn, **{"purchase.cii_system": "分支机构局域网"})
    all_three = [world.purchase_a_cn, world.purchase_a_us, world.purchase_b_cn]
    async with db.sessions() as session:
        # then only the signed one counts, by id list and as a SQL condition
        assert await signed_agreement_purchase_ids(session, all_three) == {world.purchase_a_cn}
        assert await signed_agreement_purchase_ids(session, []) == set()
        rows = await session.scalars(
            select(Purchase.id).where(~has_signed_agreement()).order_by(Purchase.id)
        )
        assert list(rows) == [world.purchase_a_us, world.purchase_b_cn]


async def test_a_newly_shipped_version_is_registered_on_first_use(
    db: DatabaseUnderTest, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a manifest that ships version 3 of the English template (same file, for the test)
    v2 = next(t for t in load_manifest() if t.language == "en" and t.version == 2)
    manifest = (*load_manifest(), dataclasses.replace(v2, version=3))
    monkeypatch.setattr(agreement_templates, "load_manifest", lambda: manifest)
    # when an agreement is generated
    async with db.sessions() as session:
        data = GenerateInput(world.purchase_a_cn, "en", overrides=FULL_OVERRIDES)
        agreement = await generate_agreement(session, SYSTEM, data)
    # then version 3 was stored, audited and used
    assert agreement.template_version == 3
    async with db.sessions() as session:
        versions = await session.scalars(
            select(AgreementTemplate.version)
            .where(AgreementTemplate.language == "en")
            .order_by(AgreementTemplate.version)
        )
        assert list(versions) == [1, 2, 3]
        registered = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "agreement_template.registered")
        )
        assert registered == 1


async def test_an_unknown_template_version_is_a_field_error(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        data = GenerateInput(
            world.purchase_a_cn, "zh", template_version=9, overrides=FULL_OVERRIDES
        )
        with pytest.raises(InputError) as raised:
            await generate_agreement(session, SYSTEM, data)
    assert [(e.field, e.message) for e in raised.value.errors] == [
        ("templateId", "no template 'security-agreement' version 9 in language 'zh'")
    ]
