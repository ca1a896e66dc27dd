"""Services reject bad input with every problem listed and write nothing when they do; money and
time stay exact on both backends."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import Ownership, PersonRole, Sector
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.models import ApiToken, AuditEvent, Purchase, Vendor
from procurement.permissions import SYSTEM
from procurement.registry.actions import operators, purchases, tokens, vendors
from tests.support.databases import DatabaseUnderTest
from tests.support.world import CODE_A, World, credit_code, person, purchase_input, row_counts

REPO = Path(__file__).resolve().parents[2]
Call = Callable[[AsyncSession], Awaitable[Any]]
E = FieldError
REQ, INV, OOR = ErrorCode.REQUIRED, ErrorCode.INVALID, ErrorCode.OUT_OF_RANGE
NF, DUP = ErrorCode.NOT_FOUND, ErrorCode.DUPLICATE
AMOUNT, CURRENCY, PI = (
    "contractValue.amount",
    "contractValue.currency",
    "personalInformationSubjects",
)
NO_PIC = "name the directly responsible person in charge (role PERSON_IN_CHARGE)"
PI_FLAG = "is given but handlesPersonalInformation is false"
NO_COUNTRY = "is not an ISO 3166-1 alpha-2 country code"
RMB = "'RMB' is not an ISO 4217 currency code"
FLOAT = "must be a decimal string, not a binary float"
CATEGORIES = (
    "CORE_NETWORK_EQUIPMENT, IMPORTANT_TELECOM_PRODUCT, HIGH_PERFORMANCE_COMPUTER_SERVER, "
    "MASS_STORAGE_DEVICE, LARGE_DATABASE_APPLICATION_SOFTWARE, NETWORK_SECURITY_EQUIPMENT, "
    "CLOUD_COMPUTING_SERVICE, OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE, OUTSIDE_SCOPE, "
    "NOT_NETWORK_PRODUCT"
)
OWNERSHIPS = "STATE, PRIVATE, FOREIGN_CONTROLLED, JOINT_VENTURE, OTHER"
ROLES = "admin, procurement, vendor, legal, reviewer, auditor"
SECTORS = (
    "PUBLIC_TELECOM_AND_INFORMATION_SERVICES, ENERGY, TRANSPORT, WATER_CONSERVANCY, FINANCE, "
    "PUBLIC_SERVICES, E_GOVERNMENT, NATIONAL_DEFENCE_SCIENCE_TECHNOLOGY_INDUSTRY, OTHER"
)
NEW_CODE, BAD_CHECK = "91440100MA59W00C3U", "91440100MA59W00C3A"  # valid / wrong check character
CREDIT = "is not a valid unified social credit code (18 characters, GB 32100-2015 check character)"
CODE_A_FULL = credit_code(CODE_A)

# (service, arguments, the exact errors); register_* and create_token take the arguments as
# overrides of a valid input, update_* and record_in_use as what they are given.
CASES_BY_SERVICE: dict[str, list[tuple[Any, list[FieldError]]]] = {
    "register_purchase": [
        ({"title": ""}, [E("title", "is required", REQ)]),
        ({"title": "   "}, [E("title", "is required", REQ)]),
        ({"title": "x" * 301}, [E("title", "is longer than 300 characters", OOR)]),
        ({"category": "ROUTER"}, [E("category", f"'ROUTER' is not one of {CATEGORIES}", INV)]),
        ({"currency": "RMB"}, [E(CURRENCY, RMB, INV)]),
        ({"currency": ""}, [E(CURRENCY, "is required", REQ)]),
        ({"contract_value": 1200.5}, [E(AMOUNT, FLOAT, INV)]),
        ({"contract_value": "0"}, [E(AMOUNT, "must be greater than zero", OOR)]),
        ({"contract_value": Decimal("-5")}, [E(AMOUNT, "must be greater than zero", OOR)]),
        ({"contract_value": "1.005"}, [E(AMOUNT, "has more than two decimal places", INV)]),
        ({"contract_value": "1e16"}, [E(AMOUNT, "is too large", OOR)]),
        ({"contract_value": "12,00"}, [E(AMOUNT, "'12,00' is not a decimal number", INV)]),
        ({"contract_value": "NaN"}, [E(AMOUNT, "must be a finite number", INV)]),
        ({"contract_date": "2025-02-30"},
         [E("contractDate", "'2025-02-30' is not a date (YYYY-MM-DD)", INV)]),
        ({"vendor_id": 999_999}, [E("vendorId", "vendor 999999 not found", NF)]),
        ({"persons": []}, [E("persons", NO_PIC, REQ)]),
        ({"persons": [person("Liu", PersonRole.OTHER_RESPONSIBLE)]}, [E("persons", NO_PIC, REQ)]),
        ({"persons": [person(" ")]}, [E("persons.0.name", "is required", REQ)]),
        ({"persons": [person("Li", "BOSS")]},  # type: ignore[arg-type]
         [E("persons.0.role", "'BOSS' is not one of PERSON_IN_CHARGE, OTHER_RESPONSIBLE", INV)]),
        ({"personal_information_subjects": 5000}, [E(PI, PI_FLAG, INV)]),
        ({"personal_information_subjects": -1, "handles_personal_information": True},
         [E(PI, "must be between 0 and 2000000000", OOR)]),
        ({"single_source": "yes"}, [E("singleSource", "must be true or false", INV)]),
    ],
    "update_purchase": [
        ({}, [E(None, "no changes given", REQ)]),
        ({"operator_id": 2}, [E("operatorId", "cannot be changed", INV)]),
        ({"vendor_id": 2, "status": "CANCELLED"},
         [E("status", "cannot be changed", INV), E("vendorId", "cannot be changed", INV)]),
        ({"title": " "}, [E("title", "is required", REQ)]),
        ({"currency": "RMB"}, [E(CURRENCY, RMB, INV)]),
        ({"contract_value": 1.5}, [E(AMOUNT, FLOAT, INV)]),
        ({"contract_value": "9.999"}, [E(AMOUNT, "has more than two decimal places", INV)]),
        ({"contract_date": "2025-13-01"},
         [E("contractDate", "'2025-13-01' is not a date (YYYY-MM-DD)", INV)]),
        ({"cii_system_id": 999_999},
         [E("ciiSystemId", "CII system 999999 not found for this operator", NF)]),
        ({"persons": []}, [E("persons", NO_PIC, REQ)]),
        ({"personal_information_subjects": 10}, [E(PI, PI_FLAG, INV)]),
        ({"operator_id": 2, "title": "", "currency": "RMB"},
         [E("operatorId", "cannot be changed", INV), E("title", "is required", REQ),
          E(CURRENCY, RMB, INV)]),
    ],
    "record_in_use": [
        ("2025-02-28", [E("inUseDate", "2025-02-28 is before the contract date 2025-03-01", OOR)]),
        ("someday", [E("inUseDate", "'someday' is not a date (YYYY-MM-DD)", INV)]),
        (None, [E("inUseDate", "is required", REQ)]),
    ],
    "register_vendor": [
        ({"name": ""}, [E("name", "is required", REQ)]),
        ({"name": "n" * 201}, [E("name", "is longer than 200 characters", OOR)]),
        ({"country": "XX"}, [E("country", f"'XX' {NO_COUNTRY}", INV)]),
        ({"country": "CHN"}, [E("country", "is longer than 2 characters", OOR)]),
        ({"country": None}, [E("country", "is required", REQ)]),
        ({"ownership": "MIXED"},
         [E("ownership", f"'MIXED' is not one of {OWNERSHIPS}", INV)]),
        ({"ultimate_parent_country": "ZZ"},
         [E("ultimateParentCountry", f"'ZZ' {NO_COUNTRY}", INV)]),
        ({"contact_email": "a@b"}, [E("contactEmail", "'a@b' is not an email address", INV)]),
        ({"registration_id": "r" * 65}, [E("registrationId", "is longer than 64 characters", OOR)]),
        ({"name": " ", "country": "XX", "contact_email": "x@y"},
         [E("name", "is required", REQ), E("country", f"'XX' {NO_COUNTRY}", INV),
          E("contactEmail", "'x@y' is not an email address", INV)]),
    ],
    "update_vendor": [
        ({}, [E(None, "no changes given", REQ)]),
        ({"name": None}, [E("name", "is required", REQ)]),
        ({"ownership": None}, [E("ownership", "is required", REQ)]),
        ({"country": "UK"}, [E("country", f"'UK' {NO_COUNTRY}", INV)]),
        ({"contact_phone": "9" * 41}, [E("contactPhone", "is longer than 40 characters", OOR)]),
        ({"name": "", "contact_email": "@"},
         [E("name", "is required", REQ), E("contactEmail", "'@' is not an email address", INV)]),
    ],
    "register_operator": [
        ({"name": ""}, [E("name", "is required", REQ)]),
        ({"credit_code": BAD_CHECK}, [E("creditCode", f"'{BAD_CHECK}' {CREDIT}", INV)]),
        ({"credit_code": NEW_CODE[:17]}, [E("creditCode", f"'{NEW_CODE[:17]}' {CREDIT}", INV)]),
        ({"credit_code": NEW_CODE + "0"}, [E("creditCode", "is longer than 18 characters", OOR)]),
        ({"credit_code": CODE_A_FULL.lower()},
         [E("creditCode", f"an operator with credit code {CODE_A_FULL} exists", DUP)]),
        ({"address": "a" * 301}, [E("address", "is longer than 300 characters", OOR)]),
        ({"cii_systems": [operators.CiiSystemInput(" ")]},
         [E("ciiSystems.0.name", "is required", REQ)]),
        ({"cii_systems": [operators.CiiSystemInput("SCADA")] * 2},
         [E("ciiSystems.1.name", "'SCADA' is listed twice", DUP)]),
        ({"name": " ", "credit_code": BAD_CHECK, "sector": "MINING"},
         [E("name", "is required", REQ), E("creditCode", f"'{BAD_CHECK}' {CREDIT}", INV),
          E("sector", f"'MINING' is not one of {SECTORS}", INV)]),
    ],
    "create_token": [
        ({"role": "boss"},
         [E("role", f"'boss' is not one of {ROLES}", INV)]),
        ({"name": " "}, [E("name", "is required", REQ)]),
        ({"operator_id": None}, [E("operator", "a legal token must belong to an operator", REQ)]),
        ({"role": "vendor", "operator_id": None},
         [E("vendor", "a vendor token must be bound to a vendor", REQ)]),
        ({"role": "admin"},
         [E("operator", "admin tokens see every operator; give no operator", INV)]),
        ({"vendor_id": 1}, [E("vendor", "only vendor tokens are bound to a vendor", INV)]),
        ({"operator_id": 999_999}, [E("operator", "operator 999999 not found", NF)]),
        ({"name": "", "operator_id": None, "vendor_id": 999_999},
         [E("name", "is required", REQ),
          E("vendor", "only vendor tokens are bound to a vendor", INV),
          E("operator", "a legal token must belong to an operator", REQ),
          E("vendor", "vendor 999999 not found", NF)]),
    ],
}  # fmt: skip
CASES = [(service, *case) for service, cases in CASES_BY_SERVICE.items() for case in cases]


def _purchase(world: World, **overrides: Any) -> purchases.PurchaseInput:
    """A valid purchase of operator A from vendor CN (1,200,000.00 CNY), with overrides."""
    base: dict[str, Any] = {
        "operator_id": world.operator_a,
        "vendor_id": world.vendor_cn,
        "title": "Firewalls",
    }
    result: purchases.PurchaseInput = purchase_input(**(base | overrides))
    return result


def _call(service: str, world: World, args: Any) -> Call:
    """The service call under test; update_* change operator A's core routers / vendor US."""
    if service == "register_purchase":
        data = _purchase(world, **args)
        return lambda s: purchases.register_purchase(s, SYSTEM, data)
    if service == "update_purchase":
        return lambda s: purchases.update_purchase(s, SYSTEM, world.purchase_a_cn, args)
    if service == "record_in_use":
        return lambda s: purchases.record_purchase_in_use(s, SYSTEM, world.purchase_a_cn, args)
    if service == "register_vendor":
        vendor = vendors.VendorInput("Lianhe Security", "CN", Ownership.STATE)
        return lambda s: vendors.register_vendor(s, SYSTEM, dataclasses.replace(vendor, **args))
    if service == "update_vendor":
        return lambda s: vendors.update_vendor(s, SYSTEM, world.vendor_us, args)
    if service == "register_operator":
        op = operators.OperatorInput("Operator C", NEW_CODE, Sector.TRANSPORT, True)
        return lambda s: operators.register_operator(s, SYSTEM, dataclasses.replace(op, **args))
    assert service == "create_token"
    token = tokens.TokenInput(role="legal", name="counsel", operator_id=world.operator_a)
    return lambda s: tokens.create_token(s, SYSTEM, dataclasses.replace(token, **args))


async def _counts(db: DatabaseUnderTest) -> dict[str, int]:
    async with db.sessions() as session:
        return await row_counts(session)


async def _rejected(db: DatabaseUnderTest, call: Call) -> list[FieldError]:
    """The errors ``call`` raises, after checking it changed no row."""
    before = await _counts(db)
    async with db.sessions() as session:
        with pytest.raises(InputError) as caught:
            await call(session)
    assert await _counts(db) == before
    return caught.value.errors


def _case_id(case: tuple[str, Any, list[FieldError]]) -> str:
    service, args, _ = case
    return f"{service}-{'+'.join(args) or 'nothing' if isinstance(args, dict) else args}"


@pytest.mark.parametrize(("service", "args", "expected"), CASES, ids=map(_case_id, CASES))
async def test_bad_input_is_rejected_with_exact_errors_and_nothing_written(
    db: DatabaseUnderTest, world: World, service: str, args: Any, expected: list[FieldError]
) -> None:
    # given the test world and a service call with one kind of bad input (or several)
    call = _call(service, world, args)
    # when calling it, then exactly these errors are raised and no row changed
    assert await _rejected(db, call) == expected


async def test_references_to_other_operators_or_missing_rows_are_not_found(
    db: DatabaseUnderTest, world: World
) -> None:
    # given operator A's CII system, and ids of a purchase and a vendor that do not exist
    system = world.system_a
    message = f"CII system {system} not found for this operator"
    b_purchase = _purchase(world, operator_id=world.operator_b, cii_system_id=system)
    # when operator B's purchase names A's system, or a missing row is changed
    # then each is rejected as not found and nothing is written
    assert await _rejected(db, lambda s: purchases.register_purchase(s, SYSTEM, b_purchase)) == [
        E("ciiSystemId", message, NF)
    ]
    move = {"cii_system_id": system}
    assert await _rejected(
        db, lambda s: purchases.update_purchase(s, SYSTEM, world.purchase_b_cn, move)
    ) == [E("ciiSystemId", message, NF)]
    assert await _rejected(
        db, lambda s: purchases.update_purchase(s, SYSTEM, 999_999, {"title": "x"})
    ) == [E("id", "purchase 999999 not found", NF)]
    assert await _rejected(
        db, lambda s: vendors.update_vendor(s, SYSTEM, 999_999, {"name": "x"})
    ) == [E("id", "vendor 999999 not found", NF)]


async def test_register_purchase_reports_every_field_problem(
    db: DatabaseUnderTest, world: World
) -> None:
    # given five bad fields at once
    data = _purchase(
        world, title="", currency="RMB", contract_value="0", contract_date="soon", vendor_id=999_999
    )
    # when registering it
    errors = await _rejected(db, lambda s: purchases.register_purchase(s, SYSTEM, data))
    # then all of them are reported (sorted here: see the order test below)
    assert sorted(errors, key=lambda e: e.field or "") == [
        E("contractDate", "'soon' is not a date (YYYY-MM-DD)", INV),
        E(AMOUNT, "must be greater than zero", OOR),
        E(CURRENCY, RMB, INV),
        E("title", "is required", REQ),
        E("vendorId", "vendor 999999 not found", NF),
    ]


async def test_record_in_use_accepts_the_contract_date_itself(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the core routers purchase, contracted on 2025-03-01
    # when recording that very day as the in-use date
    async with db.sessions() as session:
        await purchases.record_purchase_in_use(session, SYSTEM, world.purchase_a_cn, "2025-03-01")
    # then it is stored
    async with db.sessions() as session:
        stored = await session.get(Purchase, world.purchase_a_cn)
    assert stored is not None and stored.in_use_date == date(2025, 3, 1)


_ORDER_SCRIPT = """
import asyncio, json, sys
from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.errors import InputError
from procurement.permissions import SYSTEM
from procurement.registry.actions.purchases import register_purchase
from tests.support.world import purchase_input
async def main():
    engine = create_engine(sys.argv[1])
    async with app_sessions(engine)() as session:
        data = purchase_input(int(sys.argv[2]), int(sys.argv[3]), "", currency="RMB",
                              contract_value="0", contract_date="soon")
        try:
            await register_purchase(session, SYSTEM, data)
        except InputError as error:
            print(json.dumps([e.field for e in error.errors]))
    await engine.dispose()
asyncio.run(main())
"""


async def test_register_purchase_reports_errors_in_the_same_order_in_every_process(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the same bad input validated by three fresh interpreters with different hash seeds
    orders = []
    for seed in ("1", "2", "3"):
        args = [db.url, str(world.operator_a), str(world.vendor_cn)]
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", _ORDER_SCRIPT, *args,
            env=os.environ | {"PYTHONHASHSEED": seed}, cwd=REPO, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, _ = await process.communicate()
        assert process.returncode == 0
        orders.append(json.loads(out))
    # then each reports the same four fields, in the same order
    assert sorted(orders[0]) == ["contractDate", AMOUNT, CURRENCY, "title"]
    assert orders[0] == orders[1] == orders[2]


async def test_register_purchase_reports_missing_person_in_charge_with_other_errors(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a blank title and no person in charge
    data = _purchase(world, title="", persons=[])
    # when registering it, then both problems are reported
    errors = await _rejected(db, lambda s: purchases.register_purchase(s, SYSTEM, data))
    assert errors == [E("title", "is required", REQ), E("persons", NO_PIC, REQ)]


async def test_update_vendor_names_an_unknown_field_in_camel_case(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a change to a field vendors do not have (regression: it was reported as 'credit_code')
    changes = {"credit_code": CODE_A_FULL}
    # when updating, then it is reported under the client's name for it
    errors = await _rejected(
        db, lambda s: vendors.update_vendor(s, SYSTEM, world.vendor_us, changes)
    )
    assert errors == [E("creditCode", "is not a vendor field", INV)]


async def _round_trip(db: DatabaseUnderTest, world: World, amounts: list[str]) -> list[Decimal]:
    async with db.sessions() as session:
        pks = [
            (
                await purchases.register_purchase(
                    session, SYSTEM, _purchase(world, contract_value=a)
                )
            ).id
            for a in amounts
        ]
    async with db.sessions() as session:
        rows = [await session.get(Purchase, pk) for pk in pks]
    return [row.contract_value for row in rows if row is not None]


async def test_decimal_amounts_round_trip_exactly(db: DatabaseUnderTest, world: World) -> None:
    # given purchases registered with exact decimal amounts given as strings
    amounts = ["12345678901234.56", "0.01", "98000.1", "99999999999.99"]
    # when reading them back in a fresh session
    stored = await _round_trip(db, world, amounts)
    # then each is the same Decimal to the fen, with two places
    assert [str(value) for value in stored] == [
        "12345678901234.56",
        "0.01",
        "98000.10",
        "99999999999.99",
    ]


async def test_largest_accepted_amounts_round_trip_exactly(
    db: DatabaseUnderTest, world: World
) -> None:
    # given amounts beyond a float's 15 digits, up to the largest the validator accepts
    # (regression: SQLite stored NUMERIC as REAL, 1234567890123456.78 came back as ...56.75)
    amounts = ["1234567890123456.78", "9999999999999999.99"]
    # when reading them back, then they are exact
    assert await _round_trip(db, world, amounts) == [Decimal(a) for a in amounts]


async def test_datetimes_come_back_timezone_aware_utc(db: DatabaseUnderTest, world: World) -> None:
    # given rows written by the services a moment ago, a revoked token among them
    async with db.sessions() as session:
        token, _ = await tokens.create_token(session, SYSTEM, tokens.TokenInput("admin", "temp"))
        await tokens.revoke_token(session, SYSTEM, token.id)
    # when reading their timestamps in a fresh session
    async with db.sessions() as session:
        purchase = await session.get(Purchase, world.purchase_a_cn)
        vendor = await session.get(Vendor, world.vendor_cn)
        stored_token = await session.get(ApiToken, token.id)
        event = await session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert purchase and vendor and stored_token and event
    stamps = [
        purchase.created_at, purchase.updated_at, vendor.created_at, vendor.updated_at,
        stored_token.created_at, stored_token.revoked_at, event.occurred_at,
    ]  # fmt: skip
    # then each is aware, in UTC, and not in the future nor shifted by a time zone: the world's
    # rows come from a template seeded when the suite started (up to the 90 minutes CI allows
    # ago), while a China-time clock read as UTC would be 8 hours off
    now = datetime.now(UTC)
    for stamp in stamps:
        assert stamp is not None and stamp.utcoffset() == timedelta(0)
        assert now - timedelta(hours=2) < stamp <= now
    assert now - timedelta(minutes=5) < event.occurred_at  # written by this test
