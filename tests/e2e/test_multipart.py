"""GraphQL multipart requests (file uploads): malformed ones are 4xx with a message, never 500."""

from __future__ import annotations

import json

import httpx
import pytest

from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World

UPLOAD = """mutation($input: UploadAgreementTemplateInput!) {
  uploadAgreementTemplate(input: $input) { errors { field message } } }"""
VARIABLES = {"input": {"templateId": "x-template", "language": "en", "file": None}}


def _auth(world: World) -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets['legal']}"}


@pytest.mark.parametrize(
    ("data", "files", "message"),
    [
        (
            {"map": "{}"},
            {"0": ("t.docx", b"x", "application/octet-stream")},
            "the multipart request needs a 'operations' field",
        ),
        (
            {"operations": json.dumps({"query": UPLOAD, "variables": VARIABLES})},
            {"0": ("t.docx", b"x", "application/octet-stream")},
            "the multipart request needs a 'map' field",
        ),
        (
            {
                "operations": json.dumps({"query": UPLOAD, "variables": VARIABLES}),
                "map": json.dumps({"0": ["variables.input.file"]}),
            },
            {"1": ("t.docx", b"x", "application/octet-stream")},
            "'map' names file '0', which was not sent",
        ),
        (
            {
                "operations": json.dumps({"query": UPLOAD, "variables": VARIABLES}),
                "map": json.dumps({"0": ["variables.input.templateId"]}),
            },
            {"0": ("t.docx", b"x", "application/octet-stream")},
            "map path 'variables.input.templateId' must point at a null value",
        ),
        (
            {
                "operations": json.dumps({"query": UPLOAD, "variables": VARIABLES}),
                "map": json.dumps({"0": ["query"]}),
            },
            {"0": ("t.docx", b"x", "application/octet-stream")},
            "map path 'query' must start with 'variables.'",
        ),
        (
            {"operations": "[1, 2]", "map": "{}"},
            {"0": ("t.docx", b"x", "application/octet-stream")},
            "'operations' must be one JSON object (no batching)",
        ),
    ],
    ids=["no-operations", "no-map", "missing-file", "not-null", "outside-variables", "batch"],
)
async def test_malformed_multipart_requests_get_400(
    world: World,
    client: httpx.AsyncClient,
    data: dict[str, str],
    files: dict[str, tuple[str, bytes, str]],
    message: str,
) -> None:
    r = await client.post("/graphql", data=data, files=files, headers=_auth(world))
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": message}]})


async def test_a_string_where_a_file_belongs_is_a_request_error(
    world: World, client: httpx.AsyncClient
) -> None:
    variables = {"input": {"templateId": "x", "language": "en", "file": "not a file"}}
    r = await client.post(
        "/graphql",
        json={"query": UPLOAD, "variables": variables},
        headers={**_auth(world), "accept": "application/graphql-response+json"},
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == (
        "Variable '$input' got invalid value 'not a file' at 'input.file'; "
        "Expected type 'Upload'. Expected a file: send the request as multipart/form-data"
    )


async def test_an_upload_over_the_limit_gets_413(db: DatabaseUnderTest, world: World) -> None:
    settings = load_settings(
        {"PROCUREMENT_DATABASE_URL": db.url, "PROCUREMENT_MAX_UPLOAD_BYTES": "2048"}
    )
    app = create_app(settings, engine=db.engine)
    data = {
        "operations": json.dumps({"query": UPLOAD, "variables": VARIABLES}),
        "map": json.dumps({"0": ["variables.input.file"]}),
    }
    files = {"0": ("t.docx", b"x" * 4096, "application/octet-stream")}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        r = await http.post("/graphql", data=data, files=files, headers=_auth(world))
    assert (r.status_code, r.json()) == (
        413,
        {"errors": [{"message": "request body larger than 2048 bytes"}]},
    )
