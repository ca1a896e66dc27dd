"""Assigning review cases to people (issue 10) on both backends: by account, by a person's token
(which names the account), by a machine's token (a token assignment only); "assigned to me" for
a signed-in person and for a token; refusals that change nothing; and migration 0022 mapping
existing token assignments to the token's account."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from procurement import migrate
from procurement.enums import Role
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.models import Account, ApiToken, AuditEvent, ReviewCase
from procurement.permissions import SYSTEM, Principal
from procurement.registry.actions import accounts, tokens
from procurement.registry.authentication import principal_of as principal_of_token
from procurement.registry.console_sessions import principal_of_account
from procurement.reviews import reads as review_reads
from procurement.reviews.actions import notes
from procurement.reviews.decisions import PendingReviewOrder
from tests.support.accounts import make_account
from tests.support.databases import DatabaseUnderTest
from tests.support.migrations import downgrade
from tests.support.reviews import open_case_id
from tests.support.world import World, row_counts

AS_OF = date(2025, 4, 1)


async def _mine(db: DatabaseUnderTest, principal: Principal) -> list[int]:
    async with db.sessions() as session:
        found = await review_reads.list_pending_reviews(
            session,
            principal,
            review_reads.PendingFilter(assigned_to_me=True),
            PendingReviewOrder.DEADLINE,
            None,
            25,
            AS_OF,
        )
    return [c.id for c in found.items]


async def _person(db: DatabaseUnderTest, world: World, login: str = "rita") -> Account:
    account_id = await make_account(
        db, login, Role.REVIEWER, name="Rita Reviewer", operator_id=world.operator_a
    )
    async with db.sessions() as session:
        account = await session.get(Account, account_id)
        assert account is not None
        return account


async def _token_of(db: DatabaseUnderTest, account_id: int, name: str) -> ApiToken:
    """A token made for a person: role and scope come from the account."""
    async with db.sessions() as session:
        data = tokens.TokenInput(role=None, name=name, account_id=account_id)
        token, _secret = await tokens.create_token(session, SYSTEM, data)
        return token


async def _machine_token(db: DatabaseUnderTest) -> ApiToken:
    """The world's reviewer token of operator A (made before accounts: no account)."""
    async with db.sessions() as session:
        token = await session.scalar(select(ApiToken).where(ApiToken.name == "reviewer user"))
        assert token is not None and token.account_id is None
        return token


async def _case(db: DatabaseUnderTest, case_id: int) -> tuple[int | None, int | None, str | None]:
    async with db.sessions() as session:
        case = await session.get(ReviewCase, case_id)
        assert case is not None
        return case.assigned_token_id, case.assigned_account_id, case.assigned_name


async def test_a_case_assigned_to_an_account_is_mine_signed_in_and_through_my_token(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a reviewer account of operator A with a token made for it, and operator A's case
    rita = await _person(db, world)
    token = await _token_of(db, rita.id, "rita's CI")
    async with db.sessions() as session:
        case_id = await open_case_id(session, world.purchase_a_cn)
    signed_in = principal_of_account(rita, session_id=1)
    # when she assigns the case to herself from the console (no token)
    async with db.sessions() as session:
        await notes.assign_reviewer(session, signed_in, case_id, reviewer_account_id=rita.id)
    # then the case names her account, and "assigned to me" finds it signed in and by token
    assert await _case(db, case_id) == (None, rita.id, "Rita Reviewer")
    assert await _mine(db, signed_in) == [case_id]
    assert await _mine(db, principal_of_token(token)) == [case_id]
    # and the world's machine reviewer token (another caller) has nothing assigned
    assert await _mine(db, principal_of_token(await _machine_token(db))) == []


async def test_a_persons_token_assigns_its_account_and_a_machines_token_only_itself(
    db: DatabaseUnderTest, world: World
) -> None:
    # given Rita's token and the world's machine reviewer token, and two cases of operator A
    rita = await _person(db, world)
    token = await _token_of(db, rita.id, "rita's CI")
    machine = await _machine_token(db)
    async with db.sessions() as session:
        case_cn = await open_case_id(session, world.purchase_a_cn)
        case_us = await open_case_id(session, world.purchase_a_us)
    # when the cases are assigned by token (the deprecated way)
    async with db.sessions() as session:
        await notes.assign_reviewer(session, SYSTEM, case_cn, reviewer_token_id=token.id)
    async with db.sessions() as session:
        await notes.assign_reviewer(session, SYSTEM, case_us, reviewer_token_id=machine.id)
    # then Rita's token assignment names her account (and her name) too; the machine's names
    # no account
    assert await _case(db, case_cn) == (token.id, rita.id, "Rita Reviewer")
    assert await _case(db, case_us) == (machine.id, None, "reviewer user")
    assert await _mine(db, principal_of_account(rita)) == [case_cn]
    assert await _mine(db, principal_of_token(machine)) == [case_us]


@pytest.mark.parametrize("who", ["other operator", "disabled", "both", "auditor"])
async def test_assignment_to_someone_not_eligible_is_refused_and_changes_nothing(
    db: DatabaseUnderTest, world: World, who: str
) -> None:
    rita = await _person(db, world)
    other = await make_account(db, "bob", Role.REVIEWER, operator_id=world.operator_b)
    auditor = await make_account(db, "aud", Role.AUDITOR, operator_id=world.operator_a)
    if who == "disabled":
        async with db.sessions() as session:
            await accounts.disable_account(session, SYSTEM, rita.id)
    target = {"other operator": other, "disabled": rita.id, "both": rita.id, "auditor": auditor}
    async with db.sessions() as session:
        case_id = await open_case_id(session, world.purchase_a_cn)
        before = await row_counts(session)
    # when assigning the case to them
    with pytest.raises(InputError) as refused:
        async with db.sessions() as session:
            await notes.assign_reviewer(
                session,
                SYSTEM,
                case_id,
                reviewer_token_id=1 if who == "both" else None,
                reviewer_account_id=target[who],
            )
    # then it is refused with the field and the reason, and nothing changed
    message = (
        "give the reviewer's account or a token, not both"
        if who == "both"
        else f"account {target[who]} is not an active reviewer of this case's operator "
        "(or an admin)"
    )
    assert refused.value.errors == [FieldError("reviewerAccountId", message, ErrorCode.INVALID)]
    async with db.sessions() as session:
        assert await row_counts(session) == before
    assert await _case(db, case_id) == (None, None, None)


async def test_migration_0022_maps_token_assignments_to_the_tokens_account(
    db: DatabaseUnderTest, world: World
) -> None:
    # given two cases assigned by token, one through Rita's token, one through a machine's,
    # in a database taken back to before revision 0022
    rita = await _person(db, world)
    token = await _token_of(db, rita.id, "rita's CI")
    machine = await _machine_token(db)
    async with db.sessions() as session:
        case_cn = await open_case_id(session, world.purchase_a_cn)
        case_us = await open_case_id(session, world.purchase_a_us)
        await notes.assign_reviewer(session, SYSTEM, case_cn, reviewer_token_id=token.id)
    async with db.sessions() as session:
        await notes.assign_reviewer(session, SYSTEM, case_us, reviewer_token_id=machine.id)
    await downgrade(db, "0023")
    # when upgrading to the head
    await migrate.upgrade(db.engine)
    # then Rita's case names her account, the machine's case none, and the tokens stay
    async with db.engine.begin() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT id, assigned_token_id, assigned_account_id FROM review_cases "
                    "WHERE assigned_token_id IS NOT NULL ORDER BY id"
                )
            )
        ).all()
    assert sorted(tuple(r) for r in rows) == sorted(
        [(case_cn, token.id, rita.id), (case_us, machine.id, None)]
    )
    assert await migrate.current_revision(db.engine) == migrate.head_revision()


async def test_enabling_a_disabled_account_is_audited_once_and_leaves_its_tokens_revoked(
    db: DatabaseUnderTest, world: World
) -> None:
    # given Rita's account with a token, disabled (which revoked the token)
    rita = await _person(db, world)
    token = await _token_of(db, rita.id, "rita's CI")
    async with db.sessions() as session:
        await accounts.disable_account(session, SYSTEM, rita.id)
    # when an admin enables it twice
    for _ in range(2):
        async with db.sessions() as session:
            enabled = await accounts.enable_account(session, SYSTEM, rita.id)
            assert enabled.disabled_at is None
    # then one audit event says so, and the token stays revoked
    async with db.sessions() as session:
        events = list(
            await session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.object_type == "Account", AuditEvent.object_id == rita.id
                )
            )
        )
        stored = await session.get(ApiToken, token.id)
    assert events == ["account.created", "account.disabled", "account.enabled"]
    assert stored is not None and stored.revoked_at is not None
