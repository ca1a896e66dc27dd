"""The one codec for global IDs and cursors (``procurement.ids``) and the edges that use it."""

from __future__ import annotations

import argparse
import base64
from datetime import date
from decimal import Decimal

import pytest

from procurement import ids
from procurement.cli import id_of
from procurement.errors import InputError
from schema.core.ids import parse_optional_global_id

PURCHASE_12 = "UHVyY2hhc2U6MTI="  # base64("Purchase:12"), as clients hold it


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_a_global_id_round_trips_in_the_relay_format() -> None:
    # given a purchase's primary key, when encoded and decoded, then it is the same key
    assert ids.to_global_id("Purchase", 12) == PURCHASE_12
    assert ids.from_global_id(PURCHASE_12, "Purchase") == 12
    assert ids.split_global_id(PURCHASE_12) == ("Purchase", 12)


def test_a_global_id_of_another_type_is_refused() -> None:
    # given a purchase's global ID, when a vendor ID is expected, then there is no key
    assert ids.from_global_id(PURCHASE_12, "Vendor") is None
    assert ids.from_number_or_global_id(PURCHASE_12, "Vendor") is None


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        12,
        "",
        "not-an-id",
        b64("Purchase"),  # no key
        b64("Purchase:"),
        b64(":12"),  # no type
        b64("Purchase:-1"),
        b64("Purchase:1.5"),
        b64("Purchase:²"),  # a digit to str.isdigit(), not to int()
        b64("Purchase:9223372036854775808"),  # beyond a 64-bit key
        b64("Purchase:2147483648"),  # beyond the INTEGER key columns (a 500 on PostgreSQL)
        base64.b64encode(b"Purchase:\xff").decode(),  # not UTF-8
        PURCHASE_12 + "!",  # not base64
    ],
)
def test_garbage_is_no_global_id(garbage: object) -> None:
    assert ids.split_global_id(garbage) is None
    assert ids.from_global_id(garbage, "Purchase") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (b64("Agreement:7"), 7),
        (b64("Purchase:7"), None),
        ("not-an-id", None),
        ("", None),
        ("²", None),
        ("9223372036854775808", None),
        ("9223372036854775807", None),  # fuzz finding: a 500 on PostgreSQL's int4 keys
        ("2147483647", 2147483647),
    ],
)
def test_path_ids_are_numbers_or_global_ids_of_the_type(raw: str, expected: int | None) -> None:
    assert ids.from_number_or_global_id(raw, "Agreement") == expected


def test_page_cursors_round_trip_and_keep_their_wire_format() -> None:
    assert ids.encode_cursor(42) == base64.urlsafe_b64encode(b"cursor:42").decode()
    assert ids.decode_cursor(ids.encode_cursor(42)) == 42


@pytest.mark.parametrize(
    "garbage", ["", "nope", base64.urlsafe_b64encode(b"foo:1").decode(), PURCHASE_12]
)
def test_garbage_is_no_page_cursor(garbage: str) -> None:
    assert ids.decode_cursor(garbage) is None


@pytest.mark.parametrize(
    ("key", "key_type", "wire"),
    [
        (date(2025, 3, 1), date, b'["DEADLINE","2025-03-01",7]'),
        (85, int, b'["DEADLINE",85,7]'),
        (Decimal("1200000.50"), Decimal, b'["DEADLINE","1200000.50",7]'),
        (None, date, b'["DEADLINE",null,7]'),
    ],
)
def test_keyset_cursors_round_trip_in_the_wire_format_clients_hold(
    key: ids.SortKey | None, key_type: type[ids.SortKey], wire: bytes
) -> None:
    # given a sort key and an id, when encoded, then the bytes are the ones the list always sent
    cursor = ids.encode_keyset_cursor("DEADLINE", key, 7)
    assert cursor == base64.urlsafe_b64encode(wire).decode()
    # and decoding gives back the same typed key
    assert ids.decode_keyset_cursor(cursor, "DEADLINE", key_type) == (key, 7)


def keyset(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


@pytest.mark.parametrize(
    ("cursor", "tag", "key_type"),
    [
        (keyset(b'["DEADLINE","2025-03-01",7]'), "VALUE", Decimal),  # another order's cursor
        (keyset(b'["RISK","85",7]'), "RISK", int),
        (keyset(b'["RISK",true,7]'), "RISK", int),
        (keyset(b'["RISK",85,"7"]'), "RISK", int),
        (keyset(b'["RISK",85,0]'), "RISK", int),
        (keyset(b'["RISK",85]'), "RISK", int),
        (keyset(b'{"RISK":85}'), "RISK", int),
        (keyset(b'["RISK",85,7'), "RISK", int),  # not JSON
        (keyset(b'["DEADLINE","2025-02-30",7]'), "DEADLINE", date),
        (keyset(b'["VALUE","NaN",7]'), "VALUE", Decimal),
        (keyset(b'["VALUE",12.5,7]'), "VALUE", Decimal),
        (keyset(b'["VALUE","twelve",7]'), "VALUE", Decimal),
        ("!!!", "RISK", int),
        ("", "RISK", int),
    ],
)
def test_garbage_is_no_keyset_cursor(cursor: str, tag: str, key_type: type[ids.SortKey]) -> None:
    assert ids.decode_keyset_cursor(cursor, tag, key_type) is None


def test_the_console_takes_numbers_or_global_ids_of_the_expected_type_only() -> None:
    # given the console's operator argument type
    operator = id_of("Operator")
    # when given a number or an operator's global ID, then it is the key
    assert operator("3") == 3
    assert operator(ids.to_global_id("Operator", 3)) == 3
    # when given a vendor's global ID, then it is refused (it used to be taken as operator 3)
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        operator(ids.to_global_id("Vendor", 3))
    assert str(raised.value) == "'VmVuZG9yOjM=' is not a number or a global ID of type Operator"


def test_an_optional_global_id_argument_is_none_or_checked() -> None:
    # given GraphQL filter arguments, when one is left out, then there is no key
    assert parse_optional_global_id(None, "Operator", "filter.operatorId") is None
    assert parse_optional_global_id("T3BlcmF0b3I6Mw==", "Operator", "filter.operatorId") == 3
    # when one is another type's ID, then the input error names the argument
    with pytest.raises(InputError) as raised:
        parse_optional_global_id(PURCHASE_12, "Operator", "filter.operatorId")
    assert str(raised.value) == f"filter.operatorId: '{PURCHASE_12}' is not a Operator ID"
