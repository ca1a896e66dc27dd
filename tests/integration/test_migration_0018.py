"""Revision 0018: template version 2 is stored next to version 1, agreements made with version 1
keep it, and the new columns start empty, on both backends (issue 9)."""

from __future__ import annotations

from sqlalchemy import text

from contract_templates import find_template
from procurement import migrate
from procurement.agreements.actions.generate import GenerateInput, generate_agreement
from procurement.permissions import SYSTEM
from tests.support.agreements import FULL_OVERRIDES
from tests.support.databases import DatabaseUnderTest
from tests.support.migrations import downgrade
from tests.support.world import World


async def test_upgrade_adds_version_2_and_old_agreements_keep_version_1(
    db: DatabaseUnderTest, world: World
) -> None:
    # given an agreement generated from template version 1, in a database taken back to 0015
    async with db.sessions() as session:
        data = GenerateInput(
            world.purchase_a_cn, "zh", template_version=1, overrides=FULL_OVERRIDES
        )
        old = await generate_agreement(session, SYSTEM, data)
        old_id, old_template = old.id, old.template_version_id
    await downgrade(db, "0015")
    # when upgrading to the head
    await migrate.upgrade(db.engine)
    # then both versions are stored, version 2 as shipped, and the old agreement keeps version 1
    async with db.engine.begin() as connection:
        versions = (
            await connection.execute(
                text(
                    "SELECT language, version, sha256 FROM agreement_templates "
                    "WHERE template_id = 'security-agreement' ORDER BY version, language"
                )
            )
        ).all()
        agreement = (
            await connection.execute(
                text(
                    "SELECT template_version_id, language_version_of_id FROM agreements WHERE id = :id"
                ),
                {"id": old_id},
            )
        ).one()
        names = (
            await connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM operators WHERE name_zh IS NOT NULL), "
                    "(SELECT count(*) FROM vendors WHERE name_zh IS NOT NULL), "
                    "(SELECT count(*) FROM purchases WHERE title_zh IS NOT NULL), "
                    "(SELECT count(*) FROM agreement_obligations WHERE due_rule <> '')"
                )
            )
        ).one()
    v2 = {lang: find_template("security-agreement", lang, 2).sha256 for lang in ("zh", "en")}
    assert [(r[0], r[1]) for r in versions] == [("en", 1), ("zh", 1), ("en", 2), ("zh", 2)]
    assert {r[0]: r[2] for r in versions if r[1] == 2} == v2
    assert tuple(agreement) == (old_template, None)
    assert tuple(names) == (0, 0, 0, 0)
    assert await migrate.current_revision(db.engine) == migrate.head_revision()
