"""The reviewers' pages through the ASGI app: the pending-review queue (order, filters, overdue
and provisional marks), a case's page (timeline, deadline and how it was counted, Art. 8
checklist) and its next steps posted as forms; a stale or contradictory step and a refused post
change nothing; another operator's reviewer gets not found."""

from __future__ import annotations

import re
from datetime import date

import httpx
from sqlalchemy import update

from procurement.models import ReviewCase
from tests.support.accounts import form_csrf, sign_in
from tests.support.console import (
    EN,
    ZH,
    alert_text,
    buyer,
    huaxin,
    reviewer,
    reviewer_b,
    section,
)
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import open_case_id
from tests.support.world import World, row_counts

FILING = ("DECLARATION_FORM", "IMPACT_ANALYSIS_REPORT", "PROCUREMENT_DOCUMENTS")


async def case_of(db: DatabaseUnderTest, purchase_id: int) -> int:
    async with db.sessions() as session:
        return await open_case_id(session, purchase_id)


async def step(
    client: httpx.AsyncClient, case_id: int, name: str, headers: dict[str, str] = EN,
    files: dict[str, tuple[str, bytes]] | None = None, **fields: str,
) -> httpx.Response:  # fmt: skip
    """Post a step's form from the case page as it is now (its CSRF token and version)."""
    shown = await client.get(f"/console/reviews/{case_id}", headers=headers)
    form = re.search(rf'<form id="step-{name}".*?</form>', shown.text, re.S)
    assert form is not None, f"the page offers no {name} step"
    version = re.search(r'name="version" value="(\d+)"', form.group(0))
    assert version is not None
    data = {"csrf": form_csrf(shown.text), "version": version.group(1), **fields}
    return await client.post(
        f"/console/reviews/{case_id}/{name}", data=data, files=files, headers=headers
    )


async def declare(client: httpx.AsyncClient, case_id: int) -> None:
    """Triage on 2025-04-02, attach the three filing materials, file on 2025-04-03."""
    assert (await step(client, case_id, "prepare", on="2025-04-02")).status_code == 303
    for material in FILING:
        attached = await step(
            client, case_id, "attach", material=material,
            files={"file": (f"{material.lower()}.pdf", f"%PDF {material}".encode())},
        )  # fmt: skip
        assert attached.status_code == 303, attached.text
    filed = await step(client, case_id, "declare", on="2025-04-03")
    assert filed.status_code == 303, filed.text


async def test_a_reviewer_declares_a_case_and_reads_how_its_deadline_was_counted(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await reviewer(client, db, world)
    case_id = await case_of(db, world.purchase_a_cn)
    purchase = await client.get(f"/console/purchases/{world.purchase_a_cn}", headers=EN)
    assert f'<a href="/console/reviews/{case_id}">Open the case' in purchase.text
    # when the reviewer triages, attaches the Art. 8 materials and files the declaration
    await declare(client, case_id)
    # then the case is declared and its Art. 9 clock counts 10 working days from the filing,
    # over the Qingming holiday (4-6 April 2025)
    page = await client.get(f"/console/reviews/{case_id}", headers=EN)
    assert '<dd id="state">Declared</dd>' in page.text
    deadline = section(page.text, "deadline")
    assert '<p id="due">Due on Apr 18, 2025<span class="mark overdue">overdue</span></p>' in (
        deadline
    )
    assert (
        "10 working days counted from Apr 3, 2025; 10 of them had passed by the due date or "
        "the stop." in deadline
    )
    assert "Review Measures Art. 9: 10 working days from the office&#39;s receipt" in deadline
    checklist = section(page.text, "checklist")
    assert "procurement_documents.pdf</a>" in checklist
    # and each attachment downloads by clicking its name (the session authenticates it)
    link = re.search(
        r'<a href="(/api/review-attachments/\d+)" download>declaration_form.pdf', checklist
    )
    assert link is not None
    downloaded = await client.get(link.group(1))
    assert downloaded.status_code == 200
    assert downloaded.content == b"%PDF DECLARATION_FORM"
    assert downloaded.headers["content-type"] == "application/octet-stream"
    # and the timeline lists each step in order
    timeline = section(page.text, "timeline")
    kinds = re.findall(r"<li><strong>([^<]+)</strong>", timeline)
    assert kinds == ["Case opened", "State changed", *["Attachment added"] * 3, "State changed"]
    assert "Declaration prepared → Declared · Apr 3, 2025" in timeline
    # when the office asks for more materials and receives them, the pause is not counted
    assert (await step(client, case_id, "start-review", on="2025-04-10")).status_code == 303
    requested = await step(client, case_id, "materials-requested", on="2025-04-15", note="VEX")
    assert requested.status_code == 303
    stopped = section(
        (await client.get(f"/console/reviews/{case_id}", headers=EN)).text, "deadline"
    )
    assert "The clock is stopped since Apr 16, 2025" in stopped
    received = await step(client, case_id, "materials-received", on="2025-04-22")
    assert received.status_code == 303
    zh = await client.get(f"/console/reviews/{case_id}", headers=ZH)
    resumed = section(zh.text, "deadline")
    assert "<td>2025年4月15日</td><td>2025年4月22日</td><td>VEX</td>" in resumed
    assert "审查中" in zh.text
    # and how it was counted is said in Chinese, citing the Measures as their text does
    assert (
        '<p class="hint">《网络安全审查办法》第十一条：自网络安全审查办公室书面通知当事人启动审查之日起'
        " 30 个工作日；不计入补充、更正材料的时间（《网络安全审查办法》第十五条；提出要求当日计入，"
        "《中华人民共和国民法典》第二百零一条）</p>"
    ) in resumed
    assert 'lang="en"' not in section(zh.text, "deadline") + section(zh.text, "checklist")


async def test_the_queue_orders_filters_and_marks_overdue_and_provisional_deadlines(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await reviewer(client, db, world)
    routers = await case_of(db, world.purchase_a_cn)
    storage = await case_of(db, world.purchase_a_us)
    await declare(client, routers)
    # given the storage case's deadline counted through a year with no holiday schedule
    async with db.sessions() as session:
        await session.execute(
            update(ReviewCase).where(ReviewCase.id == storage)
            .values(deadline_due=date(2027, 1, 5), deadline_provisional=True)
        )  # fmt: skip
        await session.commit()

    def rows(page: str) -> list[str]:
        return re.findall(r'<td><a href="/console/reviews/(\d+)">', page)

    by_deadline = await client.get("/console/reviews", headers=EN)
    assert by_deadline.status_code == 200
    assert rows(by_deadline.text) == [str(routers), str(storage)]
    assert '<p id="count" class="hint">2 cases</p>' in by_deadline.text
    assert '<td>Apr 18, 2025<span class="mark overdue">overdue</span></td>' in by_deadline.text
    assert '<td>Jan 5, 2027<span class="mark provisional">provisional</span></td>' in (
        by_deadline.text
    )
    by_risk = await client.get("/console/reviews?order=RISK", headers=EN)
    assert rows(by_risk.text) == [str(storage), str(routers)]  # 45 before 15
    overdue = await client.get("/console/reviews?overdue=yes", headers=EN)
    assert rows(overdue.text) == [str(routers)]
    provisional = await client.get("/console/reviews?provisional=yes&state=", headers=EN)
    assert rows(provisional.text) == [str(storage)]
    triage = await client.get("/console/reviews?state=PENDING_TRIAGE", headers=ZH)
    assert rows(triage.text) == [str(storage)]
    assert '<span class="mark provisional">暂定</span>' in triage.text
    assert "共 1 个案件" in triage.text
    # and the home page shows the reviewer its overdue case and the next deadline
    home = await client.get("/", headers=EN)
    assert f'<a href="/console/reviews/{routers}">Case {routers}</a>' in section(
        home.text, "overdue-cases"
    )
    upcoming = section(home.text, "next-cases")
    assert f'<a href="/console/reviews/{storage}">Case {storage}</a>' in upcoming


async def test_the_queue_pages_on_with_a_cursor(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await reviewer(client, db, world)
    first = await client.get("/console/reviews?order=VALUE", headers=EN)
    assert "First page" not in first.text and 'rel="next"' not in first.text
    # a cursor after the first case's value shows the rest; a malformed one starts again
    routers = await case_of(db, world.purchase_a_cn)
    after = await client.get(f"/console/reviews?order=VALUE&after=1200000.00~{routers}")
    assert re.findall(r'<td><a href="/console/reviews/(\d+)">', after.text) == [
        str(await case_of(db, world.purchase_a_us))
    ]
    broken = await client.get("/console/reviews?order=VALUE&after=zz~x", headers=EN)
    assert broken.status_code == 200 and '<p id="count" class="hint">2 cases</p>' in broken.text


async def test_a_stale_or_contradictory_step_shows_the_conflict_and_changes_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await reviewer(client, db, world)
    case_id = await case_of(db, world.purchase_a_cn)
    page = await client.get(f"/console/reviews/{case_id}", headers=EN)
    csrf = form_csrf(page.text)
    assert (await step(client, case_id, "prepare", on="2025-04-02")).status_code == 303
    async with db.sessions() as session:
        before = await row_counts(session)
    # when the page opened before the triage posts the other triage decision
    stale = await client.post(
        f"/console/reviews/{case_id}/not-required",
        data={"csrf": csrf, "version": "1", "justification": "out of scope"}, headers=EN,
    )  # fmt: skip
    assert stale.status_code == 409
    assert alert_text(stale.text).startswith(
        "This step is no longer possible: the case changed after you opened it"
    )
    assert "the review case is at version 2, not 1" in alert_text(stale.text)
    # when a step the state does not allow is posted with the current version
    wrong = await client.post(
        f"/console/reviews/{case_id}/passed", data={"csrf": csrf, "version": "2"}, headers=ZH
    )
    assert wrong.status_code == 409
    assert "此步骤已不可执行" in alert_text(wrong.text)
    assert "cannot REVIEW_PASSED from state DECLARATION_PREPARED" in alert_text(wrong.text)
    # when the declaration is filed without its materials
    unready = await step(client, case_id, "declare", on="2025-04-03")
    assert unready.status_code == 422
    assert "materials missing: DECLARATION_FORM" in alert_text(unready.text)
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_no_declaration_needed_requires_a_justification(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await reviewer(client, db, world)
    case_id = await case_of(db, world.purchase_a_cn)
    refused = await step(client, case_id, "not-required", on="2025-04-02", justification=" ")
    assert refused.status_code == 422
    assert "a written justification is required" in alert_text(refused.text)
    done = await step(
        client, case_id, "not-required", on="2025-04-02", justification="Below the thresholds"
    )
    assert done.status_code == 303
    page = await client.get(f"/console/reviews/{case_id}", headers=EN)
    assert '<dd id="state">Review not required</dd>' in page.text
    assert 'id="steps"' not in page.text  # a closed case offers no step
    assert "<br><span>Below the thresholds</span>" in section(page.text, "timeline")


async def test_refused_posts_change_nothing_and_other_operators_cases_are_not_found(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    case_a = await case_of(db, world.purchase_a_cn)
    # given an Art. 8 attachment on operator A's case
    await reviewer(client, db, world)
    attached = await step(
        client, case_a, "attach", material="DECLARATION_FORM", files={"file": ("form.pdf", b"%PDF")}
    )
    assert attached.status_code == 303
    checklist = section((await client.get(f"/console/reviews/{case_a}")).text, "checklist")
    link = re.search(r'<a href="(/api/review-attachments/\d+)" download>form.pdf', checklist)
    assert link is not None
    assert (await client.get(link.group(1))).status_code == 200
    await buyer(client, db, world)
    page = await client.get(f"/console/reviews/{case_a}", headers=EN)
    assert page.status_code == 200 and 'id="steps"' not in page.text  # reads, may not act
    csrf = form_csrf(page.text)
    async with db.sessions() as session:
        before = await row_counts(session)
    denied = await client.post(
        f"/console/reviews/{case_a}/prepare", data={"csrf": csrf, "version": "1"}, headers=EN
    )
    assert denied.status_code == 403 and "<h1>Not allowed</h1>" in denied.text
    client.cookies.clear()
    assert (await sign_in(client, "reviewer")).status_code == 303
    forged = await client.post(f"/console/reviews/{case_a}/prepare", data={"version": "1"})
    assert forged.status_code == 403
    await reviewer_b(client, db, world)
    assert (await client.get(link.group(1))).status_code == 404
    shown = await client.get(f"/console/reviews/{case_a}", headers=EN)
    assert shown.status_code == 404 and "Core routers" not in shown.text
    queue = await client.get("/console/reviews", headers=EN)
    assert f"/console/reviews/{case_a}" not in queue.text
    csrf_b = form_csrf(queue.text)
    hidden = await client.post(
        f"/console/reviews/{case_a}/prepare", data={"csrf": csrf_b, "version": "1"}, headers=EN
    )
    assert hidden.status_code == 404
    await huaxin(client, db, world)
    assert (await client.get("/console/reviews", headers=EN)).status_code == 403
    assert (await client.get(f"/console/reviews/{case_a}", headers=EN)).status_code == 404
    assert (await client.get(link.group(1))).status_code == 404
    async with db.sessions() as session:
        after = await row_counts(session)
    assert {
        k: v for k, v in after.items() if k not in ("web_sessions", "accounts", "audit_events")
    } == {k: v for k, v in before.items() if k not in ("web_sessions", "accounts", "audit_events")}
    assert after["review_cases"] == before["review_cases"]
