"""The language versions of one agreement share one lifecycle (issue 9, clause 16.4), and the
facts an agreement must state before it can be generated (entrusted processing)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from procurement.agreements.actions.generate import GenerateInput, generate_agreement
from procurement.agreements.actions.signing import terminate_agreement
from procurement.errors import InputError
from procurement.models import Agreement, AgreementObligation, AuditEvent
from procurement.permissions import SYSTEM
from tests.support.agreements import FULL_OVERRIDES, add_purchase, generate, send, sign
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts


async def _states(db: DatabaseUnderTest, *ids: int) -> list[tuple[str, str, int | None]]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(Agreement).where(Agreement.id.in_(ids)).order_by(Agreement.id)
        )
        return [(a.language, a.state.value, a.superseded_by_id) for a in rows]


async def test_regenerating_a_language_replaces_the_whole_pair(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a Chinese draft with its English version
    async with db.sessions() as session:
        zh = (await generate(session, world.purchase_a_cn, "zh")).id
        en = (await generate(session, world.purchase_a_cn, "en")).id
        # when the Chinese version is generated again (the facts changed, say)
        new = (await generate(session, world.purchase_a_cn, "zh")).id
    # then both old versions are superseded by it: a pair never mixes two drafts
    assert await _states(db, zh, en, new) == [
        ("zh", "SUPERSEDED", new),
        ("en", "SUPERSEDED", new),
        ("zh", "DRAFT", None),
    ]


async def test_a_version_joins_only_a_draft_made_from_the_same_facts(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a Chinese agreement already sent, and another purchase's Chinese draft
    async with db.sessions() as session:
        sent = (await generate(session, world.purchase_a_cn, "zh")).id
        await send(session, sent)
        other = await add_purchase(session, world, "Firewalls")
        await generate(session, other, "zh")
        before = await row_counts(session)
    # when English versions are generated: one for the sent agreement, one with other terms
    async with db.sessions() as session:
        with pytest.raises(InputError) as late:
            await generate(session, world.purchase_a_cn, "en")
    async with db.sessions() as session:
        with pytest.raises(InputError) as different:
            await generate(session, other, "en", **{"terms.onboarding_days": 20})
    # then both are refused with the reason, and nothing is stored
    number = f"SCA-2025-{world.purchase_a_cn:05d}-01"
    assert [(e.field, e.code.value) for e in late.value.errors] == [("language", "INVALID_STATE")]
    assert late.value.errors[0].message.startswith(
        f"agreement {number} was already sent in 'zh' alone; a language version can be added "
        "only to a draft"
    )
    assert [(e.field, e.code.value) for e in different.value.errors] == [("overrides", "INVALID")]
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_the_pair_is_signed_and_terminated_together(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a pair, sent through the English version and signed through the Chinese one
    async with db.sessions() as session:
        zh = (await generate(session, world.purchase_a_cn, "zh")).id
        en = (await generate(session, world.purchase_a_cn, "en")).id
        await send(session, en, date(2026, 3, 1))
        await sign(session, zh, date(2026, 3, 10))
        # when the English version is terminated
        await terminate_agreement(
            session, SYSTEM, en, date(2026, 11, 1), "replaced by a new contract"
        )
    async with db.sessions() as session:
        pair = list(
            await session.scalars(
                select(Agreement).where(Agreement.id.in_((zh, en))).order_by(Agreement.id)
            )
        )
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(
                    AuditEvent.object_id.in_((zh, en)),
                    AuditEvent.object_type == "Agreement",
                )
                .order_by(AuditEvent.id)
            )
        )
        tracked = await session.scalar(
            select(func.count())
            .select_from(AgreementObligation)
            .where(AgreementObligation.agreement_id.in_((zh, en)))
        )
        first = await session.scalar(
            select(AgreementObligation.due_on).where(
                AgreementObligation.agreement_id == zh, AgreementObligation.code == "SBOM_INITIAL"
            )
        )
    # then both versions went through each step on the same days, each with its audit event
    assert [(a.state.value, a.sent_on, a.signed_on, a.terminated_on) for a in pair] == [
        ("TERMINATED", date(2026, 3, 1), date(2026, 3, 10), date(2026, 11, 1)),
    ] * 2
    assert pair[0].signed_copy_sha256 == pair[1].signed_copy_sha256
    assert actions == [
        "agreement.generated", "agreement.generated",
        "agreement.sent", "agreement.sent",
        "agreement.signed", "agreement.signed",
        "agreement.terminated", "agreement.terminated",
    ]  # fmt: skip
    # and the obligations were tracked once, dated from the signature
    assert tracked == 15
    assert first == date(2026, 4, 9)


async def test_entrusted_data_must_be_described(db: DatabaseUnderTest, world: World) -> None:
    # given a purchase whose provider handles personal information and important data
    async with db.sessions() as session:
        purchase = await add_purchase(
            session, world, "Billing platform",
            handles_personal_information=True, personal_information_subjects=50_000,
            handles_important_data=True,
        )  # fmt: skip
    # when its Chinese agreement is generated without saying what data is entrusted
    async with db.sessions() as session:
        with pytest.raises(InputError) as raised:
            await generate_agreement(
                session, SYSTEM, GenerateInput(purchase, "zh", overrides=FULL_OVERRIDES)
            )
    # then the categories (PIPL Art. 21) and the scope (Regulations Art. 12) are asked for
    assert [(e.field, e.code.value) for e in raised.value.errors] == [
        ("overrides.purchase.personalInformationCategories", "REQUIRED"),
        ("overrides.purchase.importantDataScope", "REQUIRED"),
    ]
    # and given in Chinese, the agreement is generated
    facts = FULL_OVERRIDES | {
        "purchase.personal_information_categories": "客户姓名、手机号码",
        "purchase.important_data_scope": "计费业务数据",
    }
    async with db.sessions() as session:
        agreement = await generate_agreement(
            session, SYSTEM, GenerateInput(purchase, "zh", overrides=facts)
        )
    assert agreement.context_snapshot["facts"]["purchase"]["important_data_scope"] == "计费业务数据"
