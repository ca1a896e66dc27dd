"""Registering and editing purchases through the console's forms: every error next to its
field in both languages, a stale edit refused as a conflict, and refused posts (no CSRF token,
a vendor, another operator's purchase) change nothing."""

from __future__ import annotations

from typing import Any

import httpx

from procurement.enums import Role
from tests.support.accounts import form_csrf, page_csrf
from tests.support.console import EN, ZH, buyer, field_error, huaxin, signed_in_as
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts


def valid_form(csrf: str, vendor_id: int, **changes: str) -> dict[str, Any]:
    form = {
        "csrf": csrf,
        "vendorId": str(vendor_id),
        "title": "Firewall cluster",
        "category": "NETWORK_SECURITY_EQUIPMENT",
        "amount": "880000.00",
        "currency": "CNY",
        "taxIncluded": "on",
        "contractDate": "2025-03-10",
        "persons.0.name": "Wang Fang",
        "persons.0.role": "PERSON_IN_CHARGE",
        "persons.0.position": "CIO",
        "persons.1.name": "",
        "persons.1.role": "",
        "persons.1.position": "",
    }
    form.update(changes)
    return form


async def test_registering_a_purchase_through_the_form(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    form_page = await client.get("/console/purchases/new", headers=EN)
    assert form_page.status_code == 200
    assert '<label for="title">Title <span aria-hidden="true">*</span></label>' in form_page.text
    async with db.sessions() as session:
        before = await row_counts(session)
    # when the buyer posts a complete form
    posted = await client.post(
        "/console/purchases/new", data=valid_form(form_csrf(form_page.text), world.vendor_cn)
    )
    # then the purchase is registered and its page is shown
    assert posted.status_code == 303
    new_id = int(posted.headers["location"].rsplit("/", 1)[1])
    async with db.sessions() as session:
        after = await row_counts(session)
    assert after["purchases"] == before["purchases"] + 1
    assert after["responsible_persons"] == before["responsible_persons"] + 1
    shown = await client.get(f"/console/purchases/{new_id}", headers=EN)
    assert "<h1>Firewall cluster</h1>" in shown.text
    assert "CN¥880,000.00 (tax included)" in shown.text
    assert "Wang Fang (CIO)" in shown.text


async def test_each_error_is_shown_next_to_its_field_and_nothing_is_saved(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    csrf = await page_csrf(client, "/console/purchases/new")
    async with db.sessions() as session:
        before = await row_counts(session)
    bad = valid_form(
        csrf, world.vendor_cn, title="", amount="12.345", contractDate="10/03/2025",
        **{"persons.0.name": ""},
    )  # fmt: skip
    en = await client.post("/console/purchases/new", data=bad, headers=EN)
    assert en.status_code == 422
    assert field_error(en.text, "title") == "is required"
    assert field_error(en.text, "amount") == "has more than two decimal places"
    assert field_error(en.text, "contractDate") == "'10/03/2025' is not a date (YYYY-MM-DD)"
    assert field_error(en.text, "persons.0.name") == "is required"
    assert 'aria-invalid="true" aria-describedby="title-error"' in en.text
    # the values typed are kept
    assert 'name="amount" type="text" value="12.345"' in en.text
    zh = await client.post("/console/purchases/new", data=bad, headers=ZH)
    # each detail in Chinese (the input checks' message ids), none left in English
    assert field_error(zh.text, "title") == "此项必填。"
    assert field_error(zh.text, "amount") == "小数位超过两位。"
    assert field_error(zh.text, "contractDate") == "“10/03/2025”不是日期（YYYY-MM-DD）。"
    assert "未保存：请更正下面标出的字段。" in zh.text
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_superscript_digit_is_refused_next_to_its_field_not_a_server_error(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # Regression: "²" passes str.isdigit, and int("²") raised: an HTTP 500.
    await buyer(client, db, world)
    csrf = await page_csrf(client, "/console/purchases/new")
    async with db.sessions() as session:
        before = await row_counts(session)
    bad = valid_form(
        csrf, world.vendor_cn, handlesPersonalInformation="on",
        personalInformationSubjects="²", **{"persons.².name": "Li Lei"},
    )  # fmt: skip
    # when the form is posted with a superscript two as the number of people (and a row)
    en = await client.post("/console/purchases/new", data=bad, headers=EN)
    zh = await client.post("/console/purchases/new", data=bad, headers=ZH)
    # then it is refused as a form error next to the field, in each language
    assert en.status_code == 422
    assert field_error(en.text, "personalInformationSubjects") == "must be an integer"
    assert zh.status_code == 422
    assert field_error(zh.text, "personalInformationSubjects") == "必须是整数。"
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    async with db.sessions() as session:
        before = await row_counts(session)
    refused = await client.post(
        "/console/purchases/new", data=valid_form("forged", world.vendor_cn), headers=EN
    )
    assert refused.status_code == 403
    assert "<h1>Refused</h1>" in refused.text
    edit = await client.post(
        f"/console/purchases/{world.purchase_a_cn}/edit",
        data=valid_form("", world.vendor_cn, version="1"),
    )
    assert edit.status_code == 403
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_vendor_may_not_register_or_edit_and_nothing_changes(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await huaxin(client, db, world)
    csrf = await page_csrf(client, "/")
    async with db.sessions() as session:
        before = await row_counts(session)
    form = await client.get("/console/purchases/new", headers=EN)
    assert form.status_code == 403 and "<h1>Not allowed</h1>" in form.text
    posted = await client.post("/console/purchases/new", data=valid_form(csrf, world.vendor_cn))
    assert posted.status_code == 403
    own = await client.get(f"/console/purchases/{world.purchase_a_cn}/edit", headers=EN)
    assert own.status_code == 403
    # another vendor's purchase is not found, not forbidden
    other = await client.get(f"/console/purchases/{world.purchase_a_us}/edit", headers=EN)
    assert other.status_code == 404 and "<h1>Not found</h1>" in other.text
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_editing_a_purchase_and_a_stale_edit_refused(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}/edit", headers=EN)
    assert page.status_code == 200
    assert 'name="title" type="text" value="Core routers"' in page.text
    assert '<input type="hidden" name="version" value="1">' in page.text
    csrf = form_csrf(page.text)
    form = valid_form(
        csrf, world.vendor_cn, version="1", title="Core routers (phase 2)",
        category="CORE_NETWORK_EQUIPMENT", amount="1200000.00", contractDate="2025-03-01",
        ciiSystemId=str(world.system_a),
        **{"persons.0.name": "Zhang Wei", "persons.1.name": "Liu Yang",
           "persons.1.role": "", "persons.0.position": ""},
    )  # fmt: skip
    saved = await client.post(f"/console/purchases/{world.purchase_a_cn}/edit", data=form)
    assert saved.status_code == 303
    shown = await client.get(f"/console/purchases/{world.purchase_a_cn}", headers=EN)
    assert "<h1>Core routers (phase 2)</h1>" in shown.text
    assert "Zhang Wei, Liu Yang" in shown.text
    # when the same (now stale) copy is posted again
    async with db.sessions() as session:
        before = await row_counts(session)
    stale = await client.post(
        f"/console/purchases/{world.purchase_a_cn}/edit",
        data=form | {"title": "Core routers (stale)"},
        headers=ZH,
    )
    assert stale.status_code == 409
    assert (
        "该采购现为第 2 版，而不是第 1 版：读取后已被修改；未保存任何内容：请重新载入后再试。"
        in stale.text
    )
    async with db.sessions() as session:
        assert await row_counts(session) == before
    again = await client.get(f"/console/purchases/{world.purchase_a_cn}", headers=EN)
    assert "<h1>Core routers (phase 2)</h1>" in again.text


async def test_another_operators_purchase_cannot_be_edited(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    csrf = await page_csrf(client, "/")
    page = await client.get(f"/console/purchases/{world.purchase_b_cn}/edit", headers=EN)
    assert page.status_code == 404
    async with db.sessions() as session:
        before = await row_counts(session)
    posted = await client.post(
        f"/console/purchases/{world.purchase_b_cn}/edit",
        data=valid_form(csrf, world.vendor_cn, version="1"),
    )
    assert posted.status_code == 404
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_an_administrator_chooses_the_operator(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await signed_in_as(client, db, "root", Role.ADMIN)
    page = await client.get("/console/purchases/new", headers=EN)
    assert '<select id="operatorId" name="operatorId" required>' in page.text
    csrf = form_csrf(page.text)
    missing = await client.post(
        "/console/purchases/new", data=valid_form(csrf, world.vendor_cn), headers=EN
    )
    assert missing.status_code == 422
    assert field_error(missing.text, "operatorId") == "operator (none given) not found"
    posted = await client.post(
        "/console/purchases/new",
        data=valid_form(csrf, world.vendor_cn, operatorId=str(world.operator_b)),
    )
    assert posted.status_code == 303


async def test_the_form_is_in_chinese_to_its_last_option(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # regression: the person-in-charge option was shown in English on the Chinese form
    await buyer(client, db, world)
    page = await client.get("/console/purchases/new", headers=ZH)
    assert '<option value="PERSON_IN_CHARGE" selected>直接负责的主管人员</option>' in page.text
    assert '<option value="">其他直接责任人员</option>' in page.text
    assert "<title>登记采购 · 采购安全审查</title>" in page.text


async def test_a_person_not_signed_in_is_sent_to_sign_in_and_back(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    for path in ("/console/purchases?vendor=1", "/console/purchases/new", "/console/vendors"):
        answer = await client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/sign-in?next=%2Fconsole%2F"), path
    async with db.sessions() as session:
        before = await row_counts(session)
    posted = await client.post("/console/purchases/new", data=valid_form("x", world.vendor_cn))
    assert posted.status_code == 303
    async with db.sessions() as session:
        assert await row_counts(session) == before
