import pytest

from procurement.errors import InputError
from schema.core.http import GRAPHQL_RESPONSE, JSON_TYPE, negotiate
from schema.core.ids import decode_cursor, encode_cursor, parse_global_id, to_global_id


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON_TYPE),
        ("", JSON_TYPE),
        ("application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/json;q=0.5, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/graphql-response+json;q=0, application/json", JSON_TYPE),
        ("text/html", None),
        ("application/*", JSON_TYPE),
    ],
)
def test_negotiate(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept) == expected


def test_global_ids_round_trip_and_check_their_type() -> None:
    assert to_global_id("Purchase", 12) == "UHVyY2hhc2U6MTI="
    assert parse_global_id("UHVyY2hhc2U6MTI=", "Purchase", "id") == 12
    with pytest.raises(InputError) as raised:
        parse_global_id("UHVyY2hhc2U6MTI=", "Vendor", "vendorId")
    assert str(raised.value) == "vendorId: 'UHVyY2hhc2U6MTI=' is not a Vendor ID"


def test_cursors_round_trip_and_reject_garbage() -> None:
    assert decode_cursor(encode_cursor(42)) == 42
    assert decode_cursor(None) is None
    with pytest.raises(InputError):
        decode_cursor("Zm9vOjE=")  # "foo:1"
