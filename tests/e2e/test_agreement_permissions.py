"""Every agreement query and mutation, for every role: allowed ones work, refused ones are a
top-level FORBIDDEN and change nothing; vendors see documents and status, nothing internal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from contract_templates import find_template, template_bytes
from procurement.clock import today_in_china
from procurement.enums import Role
from tests.support.agreements import (
    FULL_OVERRIDES_GQL,
    PDF_BYTES,
    AgreementWorld,
    build_agreements,
    gid,
    make_docx,
    multipart,
)
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, row_counts

Result = tuple[int, dict[str, Any]]
Runner = Callable[[httpx.AsyncClient, str, World, AgreementWorld], Awaitable[Result]]
INTERNAL = frozenset({"admin", "procurement", "legal", "reviewer", "auditor"})
EVERYONE = INTERNAL | {"vendor"}
LEGAL = frozenset({"admin", "legal"})
SUPERVISORS = frozenset({"admin", "legal", "reviewer"})

INTERNAL_FIELDS = """{ state generatedBy overrides facts signatories { name } terminationReason
  template { version } obligations { code checks { result } } }"""


@dataclass(frozen=True)
class Operation:
    field: str
    allowed: frozenset[str]
    run: Runner


def query(text: str, variables: Callable[[World, AgreementWorld], dict[str, Any]]) -> Runner:
    async def run(client: httpx.AsyncClient, secret: str, w: World, a: AgreementWorld) -> Result:
        return await gql(client, secret, text, variables(w, a))

    return run


async def _sign(client: httpx.AsyncClient, secret: str, w: World, a: AgreementWorld) -> Result:
    text = """mutation($id: ID!, $d: Date!, $s: [SignatoryInput!]!, $f: Upload!) {
      recordAgreementSigned(id: $id, signedOn: $d, signatories: $s, signedCopy: $f) {
        agreement { state } errors { field message code } } }"""
    people = [{"name": "A", "party": "OPERATOR"}, {"name": "B", "party": "PROVIDER"}]
    variables = {"id": gid("Agreement", a.sent), "d": str(today_in_china()), "s": people, "f": None}
    files = {"variables.f": ("signed.pdf", PDF_BYTES, "application/pdf")}
    return await multipart(client, secret, text, variables, files)


async def _upload(client: httpx.AsyncClient, secret: str, w: World, a: AgreementWorld) -> Result:
    text = """mutation($input: UploadAgreementTemplateInput!) {
      uploadAgreementTemplate(input: $input) { agreementTemplate { version } errors { message } } }"""
    content = make_docx("v2", base=template_bytes(find_template("security-agreement", "en")))
    variables = {"input": {"templateId": "security-agreement", "language": "en", "file": None}}
    files = {"variables.input.file": ("v2.docx", content, "application/octet-stream")}
    return await multipart(client, secret, text, variables, files)


OPERATIONS = [
    Operation(
        "agreement",
        EVERYONE,
        query(
            """query($id: ID!) { agreement(id: $id) { state number purchase { title }
               document { fileName downloadPath } signedCopy { fileName } } }""",
            lambda w, a: {"id": gid("Agreement", a.signed)},
        ),
    ),
    Operation(
        "agreement",
        INTERNAL,
        query(
            "query($id: ID!) { agreement(id: $id) " + INTERNAL_FIELDS + " }",
            lambda w, a: {"id": gid("Agreement", a.signed)},
        ),
    ),
    Operation(
        "purchase",
        EVERYONE,
        query(
            """query($id: ID!) { purchase(id: $id) {
               agreements { state } currentAgreement { state } } }""",
            lambda w, a: {"id": gid("Purchase", a.signed_purchase)},
        ),
    ),
    Operation(
        "node",
        EVERYONE,
        query(
            "query($id: ID!) { node(id: $id) { ... on Agreement { state } } }",
            lambda w, a: {"id": gid("Agreement", a.sent)},
        ),
    ),
    Operation(
        "agreementTemplates",
        INTERNAL,
        query("{ agreementTemplates { totalCount } }", lambda w, a: {}),
    ),
    Operation(
        "obligationsDue",
        INTERNAL,
        query('{ obligationsDue(filter: {asOf: "2031-01-01"}) { totalCount } }', lambda w, a: {}),
    ),
    Operation(
        "purchasesWithoutAgreement",
        INTERNAL,
        query("{ purchasesWithoutAgreement { totalCount } }", lambda w, a: {}),
    ),
    Operation(
        "recordSupervisionCheck",
        SUPERVISORS,
        query(
            """mutation($o: ID!) { recordSupervisionCheck(input: {obligationId: $o, result: MET,
               evidence: "SBOM received"}) { supervisionCheck { result } errors { message } } }""",
            lambda w, a: {"o": gid("Obligation", a.obligation)},
        ),
    ),
    Operation(
        "recordAgreementSent",
        LEGAL,
        query(
            """mutation($id: ID!, $d: Date!) { recordAgreementSent(id: $id, sentOn: $d) {
               agreement { state } errors { message } } }""",
            lambda w, a: {"id": gid("Agreement", a.draft), "d": str(today_in_china())},
        ),
    ),
    Operation("recordAgreementSigned", LEGAL, _sign),
    Operation(
        "terminateAgreement",
        LEGAL,
        query(
            """mutation($id: ID!, $d: Date!) { terminateAgreement(id: $id, terminatedOn: $d,
               reason: "ended") { agreement { state } errors { message } } }""",
            lambda w, a: {"id": gid("Agreement", a.signed), "d": str(today_in_china())},
        ),
    ),
    Operation(
        "generateAgreement",
        LEGAL,
        query(
            """mutation($p: ID!, $o: AgreementOverridesInput) { generateAgreement(purchaseId: $p,
               language: "en", overrides: $o) { agreement { state } errors { message } } }""",
            lambda w, a: {
                "p": gid("Purchase", w.purchase_a_us),
                "o": FULL_OVERRIDES_GQL
                | {"purchase": FULL_OVERRIDES_GQL["purchase"] | {"ciiSystem": "存储系统"}},
            },
        ),
    ),
    Operation("uploadAgreementTemplate", LEGAL, _upload),
]


@pytest.mark.parametrize("role", [r.value for r in Role])
async def test_every_agreement_operation_for_a_role(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, role: str
) -> None:
    # given agreements in every early state
    async with db.sessions() as session:
        agreements = await build_agreements(session, world)
    secret = world.secrets[role]
    for op in OPERATIONS:
        async with db.sessions() as session:
            before = await row_counts(session)
        # when the role runs the operation
        status, body = await op.run(client, secret, world, agreements)
        assert status == 200, (op.field, body)
        if role in op.allowed:
            # then it works: no top-level error, no payload error
            assert "errors" not in body, (op.field, body)
            result = body["data"][op.field]
            assert result is not None, op.field
            if isinstance(result, dict) and "errors" in result:
                assert result["errors"] == [], (op.field, result)
        else:
            # then it is refused as FORBIDDEN and nothing changed
            codes = {e["extensions"]["code"] for e in body["errors"]}
            assert codes == {"FORBIDDEN"}, (op.field, body)
            async with db.sessions() as session:
                assert await row_counts(session) == before, op.field


async def test_vendor_sees_documents_and_status_of_sent_agreements_only(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a draft, a sent and a signed agreement for the vendor's purchases
    async with db.sessions() as session:
        a = await build_agreements(session, world)
    vendor = world.secrets["vendor"]
    # when the vendor asks for them
    _s, drafts = await gql(
        client,
        vendor,
        """query($d: ID!, $p: ID!) { agreement(id: $d) { state }
           purchase(id: $p) { agreements { state } currentAgreement { state } } }""",
        {"d": gid("Agreement", a.draft), "p": gid("Purchase", world.purchase_a_cn)},
    )
    _s, internal = await gql(
        client,
        vendor,
        "query($id: ID!) { agreement(id: $id) " + INTERNAL_FIELDS + " }",
        {"id": gid("Agreement", a.signed)},
    )
    headers = {"authorization": f"Bearer {vendor}"}
    draft_doc = await client.get(f"/api/agreements/{a.draft}/document", headers=headers)
    signed_doc = await client.get(f"/api/agreements/{a.signed}/document", headers=headers)
    signed_copy = await client.get(f"/api/agreements/{a.signed}/signed-copy", headers=headers)
    # then drafts do not exist for it, and of the signed one only documents and status show
    assert drafts == {
        "data": {
            "agreement": None,
            "purchase": {"agreements": [], "currentAgreement": None},
        }
    }
    assert internal["data"]["agreement"] == {
        "state": "SIGNED",
        "generatedBy": None,
        "overrides": None,
        "facts": None,
        "signatories": None,
        "terminationReason": None,
        "template": None,
        "obligations": None,
    }
    assert sorted(e["path"][-1] for e in internal["errors"]) == [
        "facts",
        "generatedBy",
        "obligations",
        "overrides",
        "signatories",
        "template",
        "terminationReason",
    ]
    assert {e["extensions"]["code"] for e in internal["errors"]} == {"FORBIDDEN"}
    assert (draft_doc.status_code, draft_doc.json()) == (404, {"error": "Agreement not found"})
    assert signed_doc.status_code == 200 and signed_doc.content.startswith(b"PK")
    assert (signed_copy.status_code, signed_copy.content) == (200, PDF_BYTES)


async def test_other_operators_staff_and_strangers_get_404s(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        a = await build_agreements(session, world)
    other = {"authorization": f"Bearer {world.secrets['procurement_b']}"}
    assert (
        await client.get(f"/api/agreements/{a.signed}/document", headers=other)
    ).status_code == 404
    assert (
        await client.get(f"/api/agreements/{a.signed}/signed-copy", headers=other)
    ).status_code == 404
    none = await client.get(f"/api/agreements/{a.signed}/document")
    assert (none.status_code, none.headers["www-authenticate"]) == (
        401,
        'Bearer realm="procurement"',
    )
    legal = {"authorization": f"Bearer {world.secrets['legal']}"}
    assert (await client.get("/api/agreements/999/document", headers=legal)).status_code == 404
    assert (
        await client.get("/api/agreements/not-an-id/document", headers=legal)
    ).status_code == 404
    by_gid = await client.get(
        f"/api/agreements/{gid('Agreement', a.signed)}/document", headers=legal
    )
    assert by_gid.status_code == 200
    bad_format = await client.get(
        f"/api/agreements/{a.signed}/signed-copy?format=pdf", headers=legal
    )
    assert (bad_format.status_code, bad_format.json()) == (
        400,
        {"error": "format must be docx (the default) or pdf"},
    )
