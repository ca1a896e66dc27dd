"""What tests/e2e/test_fuzz.py found, pinned: each was an HTTP 500 or a masked internal error."""

from __future__ import annotations

import base64

import httpx

from tests.support.world import World, gql


async def test_a_file_written_as_a_literal_is_a_clear_validation_error(
    client: httpx.AsyncClient, world: World
) -> None:
    # given a vendor who writes the file into the document instead of sending it as a part
    document = (
        'mutation { uploadSbom(file: "file.json", purchaseId: "UHVyY2hhc2U6MQ==") { created } }'
    )
    # when it is sent
    status, body = await gql(client, world.secrets["vendor"], document)
    # then the document is refused with the scalar's own reason, not "internal error"
    assert status == 200  # application/json: a request error is read from the body
    assert body["errors"] == [
        {
            "message": "Expected value of type 'Upload!', found \"file.json\"; "
            "files cannot be written in the query; pass them as variables",
            "locations": [{"line": 1, "column": 29}],
        }
    ]


async def test_a_path_id_past_the_integer_keys_is_not_found(
    client: httpx.AsyncClient, world: World
) -> None:
    # given ids that fit 64 bits but not the 32-bit key columns of PostgreSQL
    headers = {"authorization": f"Bearer {world.secrets['vendor']}"}
    # when an SBOM is uploaded to, or downloaded from, such an id
    put = await client.put(
        "/api/purchases/9223372036854775807/sbom", content=b"{}", headers=headers
    )
    get = await client.get("/api/sboms/2147483648/document", headers=headers)
    # then both are not found, as any id that names nothing
    assert (put.status_code, put.json()) == (
        404,
        {"error": "purchase 9223372036854775807 not found"},
    )
    assert get.status_code == 404


async def test_a_node_id_past_the_integer_keys_names_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    # given a purchase id one past the largest key an INTEGER column holds
    forged = base64.b64encode(b"Purchase:2147483648").decode()
    # when it is looked up
    status, body = await gql(client, world.secrets["admin"], f'{{ node(id: "{forged}") {{ id }} }}')
    # then it is refused as an id of nothing, never sent to the database as a bound parameter
    assert (status, body["data"]) == (200, {"node": None})
    assert [e["extensions"] for e in body["errors"]] == [
        {
            "code": "BAD_USER_INPUT",
            "errors": [
                {
                    "field": "id",
                    "message": f"'{forged}' is not a known object ID",
                    "code": "INVALID",
                }
            ],
        }
    ]
