"""The legal pages' refusals (lifecycle, dates, signed copy, template upload) in the page's
language: Chinese on a zh-CN page through the refusals' message ids, the API's English on an
English page; nothing is changed by a refused post."""

from __future__ import annotations

import httpx

from tests.e2e.test_console_agreements import generated
from tests.support.accounts import form_csrf
from tests.support.console import EN, ZH, alert_text, field_error, lawyer
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts

IGNORED = ("web_sessions", "accounts", "audit_events")  # signing in touches these


async def counts(db: DatabaseUnderTest) -> dict[str, int]:
    async with db.sessions() as session:
        return {k: v for k, v in (await row_counts(session)).items() if k not in IGNORED}


async def draft(client: httpx.AsyncClient, db: DatabaseUnderTest, world: World) -> tuple[int, str]:
    """A lawyer signed in with a draft agreement: its id and the page's CSRF token."""
    await lawyer(client, db, world)
    agreement_id = await generated(client, world.purchase_a_cn)
    url = f"/console/purchases/{world.purchase_a_cn}/agreements"
    return agreement_id, form_csrf((await client.get(url)).text)


async def test_agreement_refusals_are_said_in_the_pages_language(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a lawyer and a draft agreement
    agreement_id, csrf = await draft(client, db, world)
    before = await counts(db)
    signed_url = f"/console/agreements/{agreement_id}/signed"
    copy = {"signedCopy": ("signed.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}
    signing = {"csrf": csrf, "signedOn": "2025-03-05", "signatories.0.name": "Zhang Wei",
               "signatories.1.name": "Wang Min"}  # fmt: skip
    # when the draft, never sent, is recorded as signed
    zh = await client.post(signed_url, data=signing, files=copy, headers=ZH)
    en = await client.post(signed_url, data=signing, files=copy, headers=EN)
    # then the lifecycle's refusal names the states in each language
    assert (zh.status_code, alert_text(zh.text)) == (
        409, "处于“草稿”状态的协议不能变为“已签署”：请先登记其已发送。"
    )  # fmt: skip
    assert (en.status_code, alert_text(en.text)) == (
        409, "an agreement in state DRAFT cannot become SIGNED: record it as sent first"
    )  # fmt: skip
    # when it is recorded as sent on a day to come
    sent_url = f"/console/agreements/{agreement_id}/sent"
    future = {"csrf": csrf, "sentOn": "2099-01-01"}
    zh = await client.post(sent_url, data=future, headers=ZH)
    en = await client.post(sent_url, data=future, headers=EN)
    assert (zh.status_code, field_error(zh.text, "sentOn")) == (422, "2099-01-01 是将来的日期。")
    assert (en.status_code, field_error(en.text, "sentOn")) == (422, "2099-01-01 is in the future")
    # when a template that is not a .docx is uploaded
    upload = {"csrf": csrf, "templateId": "security-agreement", "language": "zh"}
    not_docx = {"file": ("v3.docx", b"plain text, not a ZIP package")}
    zh = await client.post("/console/agreement-templates", data=upload, files=not_docx, headers=ZH)
    en = await client.post("/console/agreement-templates", data=upload, files=not_docx, headers=EN)
    assert (zh.status_code, field_error(zh.text, "file")) == (
        422,
        "不是 .docx 文件（不是 ZIP 包）。",
    )
    assert (en.status_code, field_error(en.text, "file")) == (
        422, "not a .docx file (it is not a ZIP package)"
    )  # fmt: skip
    # and nothing was changed by any of them
    assert await counts(db) == before


async def test_signing_refusals_after_sending_are_said_in_the_pages_language(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given an agreement sent on 2025-03-02
    agreement_id, csrf = await draft(client, db, world)
    sent = await client.post(
        f"/console/agreements/{agreement_id}/sent", data={"csrf": csrf, "sentOn": "2025-03-02"}
    )
    assert sent.status_code == 303
    before = await counts(db)
    # when it is recorded as signed the day before, without the signed copy
    early = {"csrf": csrf, "signedOn": "2025-03-01", "signatories.0.name": "Zhang Wei",
             "signatories.1.name": "Wang Min"}  # fmt: skip
    zh = await client.post(f"/console/agreements/{agreement_id}/signed", data=early, headers=ZH)
    en = await client.post(f"/console/agreements/{agreement_id}/signed", data=early, headers=EN)
    # then each problem is next to its field, in each language
    assert zh.status_code == 422
    assert field_error(zh.text, "signedOn") == "2025-03-01 早于协议发送之日（2025-03-02）。"
    assert field_error(zh.text, "signedCopy") == "请上传签署件作为证明。"
    assert en.status_code == 422
    assert (
        field_error(en.text, "signedOn") == "2025-03-01 is before the day it was sent (2025-03-02)"
    )
    assert field_error(en.text, "signedCopy") == "upload the signed copy as evidence"
    assert await counts(db) == before
