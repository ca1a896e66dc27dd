"""Template versions through the API: checked uploads, per-operator versions, old versions kept."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contract_templates import find_template, template_bytes
from tests.support.agreements import FULL_OVERRIDES_GQL, gid, make_docx, multipart, paragraph_texts
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, row_counts

UPLOAD = """mutation($input: UploadAgreementTemplateInput!) {
  uploadAgreementTemplate(input: $input) {
    agreementTemplate { templateId version language title shipped operator { name } fileName
                        notes uploadedBy fields clauses }
    errors { field message code } } }"""
GENERATE = """mutation($p: ID!, $v: Int) {
  generateAgreement(purchaseId: $p, language: "zh", templateVersion: $v, overrides: %s) {
    agreement { id templateVersion template { version } document { downloadPath } }
    errors { field message code } } }"""
TEMPLATES = """{ agreementTemplates(templateId: "security-agreement") {
  totalCount edges { node { version language shipped } } } }"""
NOTE = "第二版补充条款：协议编号 {{ agreement_number }} 适用本条。"


def _overrides_literal() -> str:
    # GraphQL literal of the complete overrides (keeps the mutation's variables simple).
    def literal(value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
        return '"' + str(value).replace('"', '\\"') + '"'

    return literal(FULL_OVERRIDES_GQL)


async def _upload(
    client: httpx.AsyncClient, secret: str, content: bytes, **fields: Any
) -> tuple[int, dict[str, Any]]:
    variables = {"input": {"templateId": "security-agreement", "language": "zh", "file": None}}
    variables["input"] |= fields
    files = {"variables.input.file": ("协议 v2.docx", content, "application/octet-stream")}
    return await multipart(client, secret, UPLOAD, variables, files)


def _version_two() -> bytes:
    return make_docx(NOTE, base=template_bytes(find_template("security-agreement", "zh")))


async def test_an_uploaded_version_is_used_and_old_agreements_keep_theirs(
    world: World, client: httpx.AsyncClient
) -> None:
    legal = world.secrets["legal"]
    generate = GENERATE % _overrides_literal()
    purchase = gid("Purchase", world.purchase_a_cn)
    # given an agreement made with the shipped version 2
    _s, first = await gql(client, legal, generate, {"p": purchase})
    # when legal uploads version 3 with an extra clause
    status, body = await _upload(client, legal, _version_two(), notes="adds a clause")
    # then it is stored as operator A's version 3 after the checks
    assert status == 200
    payload = body["data"]["uploadAgreementTemplate"]
    assert payload["errors"] == []
    template = payload["agreementTemplate"]
    assert {k: v for k, v in template.items() if k not in ("fields", "clauses")} == {
        "templateId": "security-agreement",
        "version": 3,
        "language": "zh",
        "title": "网络安全保密协议",
        "shipped": False,
        "operator": {"name": "Operator A"},
        "fileName": "协议 v2.docx",
        "notes": "adds a clause",
        "uploadedBy": "legal user",
    }
    assert "agreement_number" in template["fields"] and "vendor.name" in template["fields"]
    assert template["clauses"][0] == "scope_term" and len(template["clauses"]) == 17
    # and new agreements use it by default, while the shipped versions stay available
    _s, second = await gql(client, legal, generate, {"p": purchase})
    _s, third = await gql(client, legal, generate, {"p": purchase, "v": 1})
    a1, a2, a3 = (r["data"]["generateAgreement"]["agreement"] for r in (first, second, third))
    assert [(a["templateVersion"], a["template"]["version"]) for a in (a1, a2, a3)] == [
        (2, 2),
        (3, 3),
        (1, 1),
    ]
    headers = {"authorization": f"Bearer {legal}"}
    texts = [
        paragraph_texts((await client.get(a["document"]["downloadPath"], headers=headers)).content)
        for a in (a1, a2, a3)
    ]
    note = "第二版补充条款：协议编号 SCA-2025-00001-02 适用本条。"
    assert [note in t for t in texts] == [False, True, False]
    # and another operator's staff never see operator A's version
    _s, mine = await gql(client, legal, TEMPLATES)
    _s, theirs = await gql(client, world.secrets["procurement_b"], TEMPLATES)
    assert mine["data"]["agreementTemplates"]["totalCount"] == 5
    assert theirs["data"]["agreementTemplates"] == {
        "totalCount": 4,
        "edges": [
            {"node": {"version": 1, "language": "zh", "shipped": True}},
            {"node": {"version": 1, "language": "en", "shipped": True}},
            {"node": {"version": 2, "language": "zh", "shipped": True}},
            {"node": {"version": 2, "language": "en", "shipped": True}},
        ],
    }


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (
            b"this is not a zip file",
            [("file", "not a .docx file (it is not a ZIP package)", "INVALID")],
        ),
        (
            make_docx("Dear {{ vendor.name }}, the key is {{ secret_key }}"),
            [("file", "unknown variable 'secret_key'", "INVALID")],
        ),
        (
            make_docx("{{ vendor.bank_account }}"),
            [("file", "unknown field 'vendor.bank_account'", "INVALID")],
        ),
        (
            make_docx("{{ ''.__class__ }}"),
            [("file", "access to private attribute '__class__' is not allowed", "INVALID")],
        ),
        (
            make_docx("{{ vendor.name.upper() }}"),
            [
                (
                    "file",
                    "function and method calls are not allowed; use a filter such as |upper",
                    "INVALID",
                )
            ],
        ),
        (
            template_bytes(find_template("security-agreement", "zh")),
            [("file", "identical to version 2; nothing to store", "DUPLICATE")],
        ),
    ],
    ids=["bad-zip", "unknown-variable", "unknown-field", "sandbox-escape", "call", "duplicate"],
)
async def test_bad_templates_are_refused_and_nothing_is_stored(
    db: DatabaseUnderTest,
    world: World,
    client: httpx.AsyncClient,
    content: bytes,
    errors: list[tuple[str, str, str]],
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    status, body = await _upload(client, world.secrets["legal"], content)
    payload = body["data"]["uploadAgreementTemplate"]
    assert status == 200
    assert payload["agreementTemplate"] is None
    assert [(e["field"], e["message"], e["code"]) for e in payload["errors"]] == errors
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_upload_input_is_checked_before_the_file(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    status, body = await _upload(
        client,
        world.secrets["legal"],
        _version_two(),
        templateId="Bad Id!",
        language="fr",
        operatorId=gid("Operator", world.operator_b),
    )
    assert status == 200
    assert [(e["field"], e["code"]) for e in body["data"]["uploadAgreementTemplate"]["errors"]] == [
        ("templateId", "INVALID"),
        ("language", "INVALID"),
        ("operatorId", "NOT_FOUND"),
    ]
    # a brand-new template id needs a title
    _status, body = await _upload(
        client, world.secrets["legal"], _version_two(), templateId="cloud-services"
    )
    assert body["data"]["uploadAgreementTemplate"]["errors"] == [
        {"field": "title", "message": "is required for a new template", "code": "REQUIRED"}
    ]
