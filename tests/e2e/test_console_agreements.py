"""Legal's page of a purchase's agreements through the ASGI app: generate with the overrides
form (each missing fact next to its field), download the .docx and PDF with the session, record
sent and signed with the signed copy, supervision checks, and the legal home cards; refused posts
change nothing and another operator's lawyer gets not found."""

from __future__ import annotations

import re
from typing import Any

import httpx

from contract_templates import find_template, template_bytes
from procurement.agreements.pdf import find_soffice
from procurement.enums import Role
from tests.support.accounts import form_csrf, sign_in
from tests.support.agreements import FULL_OVERRIDES, make_docx
from tests.support.console import (
    EN,
    ZH,
    alert_text,
    buyer,
    field_error,
    huaxin,
    lawyer,
    northwind,
    section,
    signed_in_as,
)
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts

TEXT_OVERRIDES = dict(FULL_OVERRIDES)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def generate_form(csrf: str, **values: str) -> dict[str, Any]:
    return {"csrf": csrf, "template": "security-agreement", "language": "zh", **values}


async def generated(client: httpx.AsyncClient, purchase_id: int) -> int:
    """Generate a Chinese agreement through the form; its id."""
    page = await client.get(f"/console/purchases/{purchase_id}/agreements", headers=EN)
    posted = await client.post(
        f"/console/purchases/{purchase_id}/agreements",
        data=generate_form(form_csrf(page.text), **TEXT_OVERRIDES),
    )
    assert posted.status_code == 303, posted.text
    found = re.search(r"#agreement-(\d+)$", posted.headers["location"])
    assert found is not None
    return int(found.group(1))


async def test_legal_generates_an_agreement_and_downloads_it(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await lawyer(client, db, world)
    url = f"/console/purchases/{world.purchase_a_cn}/agreements"
    page = await client.get(url, headers=EN)
    assert page.status_code == 200
    assert '<p id="no-agreement" class="hint">No agreement yet.</p>' in page.text
    async with db.sessions() as session:
        before = await row_counts(session)
    # when legal generates with no facts filled in, each missing fact is named at its field
    refused = await client.post(url, data=generate_form(form_csrf(page.text)), headers=EN)
    assert refused.status_code == 422
    assert field_error(refused.text, "vendor.registration_id") is not None
    assert "registration" in (field_error(refused.text, "vendor.registration_id") or "")
    assert '<option value="zh" selected>Chinese</option>' in refused.text
    async with db.sessions() as session:
        after = await row_counts(session)
    assert after["agreements"] == before["agreements"] == 0
    # when the facts are given, the draft is stored and shown
    agreement_id = await generated(client, world.purchase_a_cn)
    page = await client.get(url, headers=EN)
    shown = section(page.text, f"agreement-{agreement_id}")
    assert f"SCA-2025-{world.purchase_a_cn:05d}-01" in shown and ": Draft</h2>" in shown
    # and its .docx downloads by clicking the link (the session cookie authenticates it)
    link = re.search(r'<a class="download-docx" href="([^"]+)"', shown)
    assert link is not None and link.group(1) == f"/api/agreements/{agreement_id}/document"
    docx = await client.get(link.group(1))
    assert docx.status_code == 200
    assert docx.headers["content-type"] == DOCX
    assert docx.content[:2] == b"PK"
    pdf = await client.get(f"/api/agreements/{agreement_id}/document?format=pdf")
    if find_soffice() is None:  # the page says so instead of offering a link that fails
        assert pdf.status_code == 503
        assert "LibreOffice" in pdf.json()["error"]
        assert 'class="download-pdf"' not in shown
        assert "PDF: needs LibreOffice on the server" in shown
    else:
        assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
        assert f'href="/api/agreements/{agreement_id}/document?format=pdf"' in shown
    zh = await client.get(url, headers=ZH)
    assert "下载 .docx" in zh.text and "草稿" in zh.text


async def test_legal_records_sent_and_signed_and_supervises_an_obligation(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await lawyer(client, db, world)
    agreement_id = await generated(client, world.purchase_a_cn)
    url = f"/console/purchases/{world.purchase_a_cn}/agreements"
    csrf = form_csrf((await client.get(url)).text)
    sent = await client.post(
        f"/console/agreements/{agreement_id}/sent", data={"csrf": csrf, "sentOn": "2025-03-02"}
    )
    assert sent.status_code == 303
    # the vendor now sees the agreement sent to it, without the forms or the supervision
    await huaxin(client, db, world)
    theirs = await client.get(url, headers=EN)
    assert f'id="agreement-{agreement_id}"' in theirs.text and ": Sent for signature</h2>" in (
        theirs.text
    )
    assert "<form id=" not in theirs.text.split("<main", 1)[1]
    assert (await client.get(f"/api/agreements/{agreement_id}/document")).status_code == 200
    client.cookies.clear()
    assert (await sign_in(client, "lawyer")).status_code == 303
    csrf = form_csrf((await client.get(url)).text)
    # when the signature is recorded without the signed copy, the error is at its field
    signing = {
        "csrf": csrf, "signedOn": "2025-03-05",
        "signatories.0.name": "Zhang Wei", "signatories.0.title": "CIO",
        "signatories.1.name": "Wang Min", "signatories.1.title": "CEO",
    }  # fmt: skip
    missing = await client.post(
        f"/console/agreements/{agreement_id}/signed", data=signing, headers=EN
    )
    assert missing.status_code == 422
    assert field_error(missing.text, "signedCopy") == "upload the signed copy as evidence"
    assert 'value="Wang Min"' in missing.text  # what was typed is kept
    signed = await client.post(
        f"/console/agreements/{agreement_id}/signed", data=signing,
        files={"signedCopy": ("signed.pdf", b"%PDF-1.4\n% signed\n%%EOF\n", "application/pdf")},
    )  # fmt: skip
    assert signed.status_code == 303, signed.text
    page = await client.get(url, headers=EN)
    shown = section(page.text, f"agreement-{agreement_id}")
    assert ": Signed</h2>" in shown
    assert "<dt>Signed by</dt><dd>Zhang Wei (CIO), Wang Min (CEO)</dd>" in shown
    copy = await client.get(f"/api/agreements/{agreement_id}/signed-copy")
    assert copy.status_code == 200 and copy.content.startswith(b"%PDF-1.4")
    # when a check of its first obligation is recorded as not met
    check = re.search(r'<form id="check-(\d+)".*?name="version" value="(\d+)"', shown, re.S)
    assert check is not None
    obligation, version = check.groups()
    recorded = await client.post(
        f"/console/obligations/{obligation}/checks",
        data={"csrf": csrf, "version": version, "result": "NOT_MET", "checkedOn": "2025-03-20",
              "notes": "no SBOM yet"},
    )  # fmt: skip
    assert recorded.status_code == 303, recorded.text
    page = await client.get(url, headers=EN)
    row = page.text[page.text.index(f'<tr id="obligation-{obligation}">') :].split("</tr>")[0]
    assert "<td>Not met</td>" in row and "Mar 20, 2025: Not met" in row
    # and a check from the stale page is refused as a conflict
    stale = await client.post(
        f"/console/obligations/{obligation}/checks",
        data={"csrf": csrf, "version": version, "result": "MET", "evidence": "SBOM received"},
        headers=EN,
    )  # fmt: skip
    assert stale.status_code == 409
    assert "the obligation is at version" in alert_text(stale.text)
    # and the legal home page lists the failed obligation and the purchases still unsigned
    home = await client.get("/", headers=EN)
    assert "last check not met" in section(home.text, "obligations-due")
    unsigned = section(home.text, "unsigned")
    assert "Storage array" in unsigned and "Core routers" not in unsigned


async def test_refused_agreement_posts_change_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await lawyer(client, db, world)
    agreement_id = await generated(client, world.purchase_a_cn)
    url = f"/console/purchases/{world.purchase_a_cn}/agreements"
    async with db.sessions() as session:
        before = await row_counts(session)
    # a form without its CSRF token
    forged = await client.post(f"/console/agreements/{agreement_id}/sent", data={"sentOn": ""})
    assert forged.status_code == 403
    # signing a draft that was never sent: the lifecycle refuses it
    csrf = form_csrf((await client.get(url)).text)
    early = await client.post(
        f"/console/agreements/{agreement_id}/signed",
        data={"csrf": csrf, "signedOn": "2025-03-05", "signatories.0.name": "Zhang Wei",
              "signatories.1.name": "Wang Min"},
        files={"signedCopy": ("signed.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
        headers=EN,
    )  # fmt: skip
    assert early.status_code == 409
    # procurement staff may read but not generate
    await buyer(client, db, world)
    staff = await client.get(url, headers=EN)
    assert staff.status_code == 200 and 'id="generate"' not in staff.text
    denied = await client.post(
        url, data=generate_form(form_csrf(staff.text), **TEXT_OVERRIDES), headers=EN
    )
    assert denied.status_code == 403 and "<h1>Not allowed</h1>" in denied.text
    # another operator's lawyer, and another vendor, get not found
    await signed_in_as(client, db, "lawyer_b", Role.LEGAL, operator_id=world.operator_b)
    hidden = await client.get(url, headers=EN)
    assert hidden.status_code == 404 and "Core routers" not in hidden.text
    csrf_b = form_csrf((await client.get("/", headers=EN)).text)
    sent = await client.post(
        f"/console/agreements/{agreement_id}/sent", data={"csrf": csrf_b, "sentOn": "2025-03-02"}
    )
    assert sent.status_code == 404
    assert (await client.get(f"/api/agreements/{agreement_id}/document")).status_code == 404
    await northwind(client, db, world)
    assert (await client.get(url, headers=EN)).status_code == 404
    async with db.sessions() as session:
        after = await row_counts(session)
    ignored = ("web_sessions", "accounts", "audit_events")
    assert {k: v for k, v in after.items() if k not in ignored} == {
        k: v for k, v in before.items() if k not in ignored
    }


async def test_legal_uploads_a_template_version_and_generates_with_it(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await lawyer(client, db, world)
    page = await client.get("/console/agreement-templates", headers=EN)
    assert page.status_code == 200
    assert re.findall(r"<tr><td>security-agreement</td><td>(\w+)</td><td>(\d)</td>", page.text) == [
        ("en", "2"), ("en", "1"), ("zh", "2"), ("zh", "1"),
    ]  # fmt: skip
    csrf = form_csrf(page.text)
    async with db.sessions() as session:
        before = await row_counts(session)
    # when a .docx that asks for a fact the service does not have is uploaded
    bad = await client.post(
        "/console/agreement-templates",
        data={"csrf": csrf, "templateId": "security-agreement", "language": "zh"},
        files={"file": ("v3.docx", make_docx("{{ vendor.bank_account }}"))}, headers=EN,
    )  # fmt: skip
    assert bad.status_code == 422
    assert "vendor.bank_account" in (field_error(bad.text, "file") or "")
    async with db.sessions() as session:
        assert (await row_counts(session))["agreement_templates"] == before["agreement_templates"]
    # when the shipped template with one more paragraph is uploaded
    good = make_docx(
        "审阅说明：第三版", base=template_bytes(find_template("security-agreement", "zh"))
    )
    stored = await client.post(
        "/console/agreement-templates",
        data={"csrf": csrf, "templateId": "security-agreement", "language": "zh",
              "notes": "review note"},
        files={"file": ("v3.docx", good)},
    )  # fmt: skip
    assert stored.status_code == 303
    page = await client.get("/console/agreement-templates", headers=ZH)
    assert (
        "<tr><td>security-agreement</td><td>zh</td><td>3</td>" in page.text
        and "<td>Lawyer</td>" in page.text
        and "<td>review note</td>" in page.text
    )
    # then the agreements page offers it, and an agreement made with it says so
    url = f"/console/purchases/{world.purchase_a_cn}/agreements"
    agreements = await client.get(url, headers=EN)
    assert '<option value="security-agreement@3">security-agreement v3</option>' in (
        agreements.text
    )
    made = await client.post(
        url, data=generate_form(csrf, template="security-agreement@3", **TEXT_OVERRIDES)
    )
    assert made.status_code == 303, made.text
    shown = await client.get(url, headers=EN)
    assert "(zh, security-agreement v3)" in shown.text


async def test_only_legal_and_admins_upload_templates(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    page = await client.get("/console/agreement-templates", headers=EN)
    assert page.status_code == 200 and 'id="template-form"' not in page.text
    denied = await client.post(
        "/console/agreement-templates",
        data={"csrf": form_csrf(page.text), "templateId": "x", "language": "zh"},
        files={"file": ("x.docx", make_docx("x"))}, headers=EN,
    )  # fmt: skip
    assert denied.status_code == 403
    await northwind(client, db, world)
    assert (await client.get("/console/agreement-templates", headers=EN)).status_code == 403
