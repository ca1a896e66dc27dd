"""The screening settings pages and the job page through the ASGI app: an admin stores a rule
set version and adds and removes restriction entries, each change showing its rescreen job with
a link to the job's page, which shows the outcome once a worker ran it; a stale rule edit or a
removal of an entry already gone is a 409; other roles are refused and nothing changes; forms
without their CSRF token are refused."""

from __future__ import annotations

import re

import httpx

from procurement.enums import JobState
from procurement.jobs.store import enqueue
from procurement.permissions import SYSTEM
from procurement.screening.actions import restrictions
from procurement.screening.store.restrictions import entries_of
from tests.support.accounts import form_csrf
from tests.support.console import EN, ZH, alert_text, buyer, field_error, huaxin, reviewer
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import run_jobs
from tests.support.world import World, row_counts

RULES = "/console/admin/screening-rules"
LISTS = "/console/admin/restriction-lists"


async def a_list(db: DatabaseUnderTest, world: World) -> int:
    """A list naming Northwind Storage (its id), its rescreen job run."""
    async with db.sessions() as session:
        row, _job = await restrictions.update_restriction_list(
            session, SYSTEM,
            restrictions.RestrictionListInput(
                name="Unreliable entities", source="MOFCOM", published_on="2025-01-02",
                entries=[restrictions.RestrictionEntryInput(
                    "Northwind Storage", "export control", "2025-01-02", world.vendor_us)],
            ),
        )  # fmt: skip
        list_id = row.id
    await run_jobs(db)
    return list_id


async def entry_ids(db: DatabaseUnderTest, list_id: int) -> list[int]:
    async with db.sessions() as session:
        return [e.id for e in await entries_of(session, list_id)]


def rule_form(page: str) -> dict[str, str | list[str]]:
    """The rule form's values as the page filled them in."""
    body = page[
        page.index('<form id="rules-form"') : page.index("</form>", page.index("rules-form"))
    ]
    form: dict[str, str | list[str]] = {
        name: value
        for name, value in re.findall(r'<input[^>]* name="([^"]+)"[^>]* value="([^"]*)"', body)
        if name != "enabled_rules"
    }
    form["enabled_rules"] = re.findall(
        r'name="enabled_rules" type="checkbox" value="([^"]+)" checked', body
    )
    return form


def job_link(page: str) -> str:
    found = re.search(r'<a id="job-link" href="(/console/jobs/\d+)">', page)
    assert found is not None, "the page shows no job"
    return found.group(1)


async def test_an_admin_stores_a_rule_set_and_follows_its_job(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(RULES, headers=EN)
    assert '<p id="in-force" class="hint">Version 1 is in force.' in page.text
    form = rule_form(page.text)
    assert form["version"] == "2" and form["thresholds.sbom_quality"] == "60"
    # when the admin raises the SBOM quality threshold
    posted = await console.post(RULES, data={**form, "thresholds.sbom_quality": "70"})
    assert posted.status_code == 303
    shown = await console.get(posted.headers["location"], headers=EN)
    # then version 2 is in force and its rescreen job is shown, queued, with a link
    assert '<p id="in-force" class="hint">Version 2 is in force.' in shown.text
    assert '<dd id="current-quality">70</dd>' in shown.text
    link = job_link(shown.text)
    assert "(Rescreen every active purchase) was queued: Queued." in shown.text
    queued = await console.get(link, headers=EN)
    assert '<dd id="job-state">Queued</dd>' in queued.text
    assert 'data-refresh="2"' in queued.text and "/static/job-refresh.js" in queued.text
    # and once a worker ran it, the job page shows its outcome (three active purchases)
    await run_jobs(db)
    done = await console.get(link, headers=ZH)
    assert '<dd id="job-state">已完成</dd>' in done.text
    assert '<dd id="job-progress">3 / 3</dd>' in done.text
    assert '<tr><th scope="row">已筛查的采购</th><td>3</td></tr>' in done.text
    assert "job-refresh.js" not in done.text


async def test_bad_and_stale_rules_are_refused_and_store_nothing(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(RULES, headers=EN)
    form = rule_form(page.text)
    async with db.sessions() as session:
        before = await row_counts(session)
    bad = {**form, "thresholds.sbom_quality": "101", "severity_weights.LOW": "²",
           "thresholds.value_cny": "ten"}  # fmt: skip
    refused = await console.post(RULES, data=bad, headers=EN)
    assert refused.status_code == 422
    assert field_error(refused.text, "thresholds.sbom_quality") == "must be 0-100, got 101"
    assert field_error(refused.text, "severity_weights.LOW") == "must be an integer, got '²'"
    assert field_error(refused.text, "thresholds.value_cny") == (
        "must be a decimal string such as \"10000000\", got 'ten'"
    )
    zh = await console.post(RULES, data=bad, headers=ZH)
    assert field_error(zh.text, "thresholds.sbom_quality") == "必须在 0 到 100 之间，收到的是 101。"
    assert field_error(zh.text, "severity_weights.LOW") == "必须是整数，收到的是 '²'。"
    async with db.sessions() as session:
        assert await row_counts(session) == before
    # when another admin stored version 2 first, this form (for version 2 too) is stale
    assert (await console.post(RULES, data=form)).status_code == 303
    async with db.sessions() as session:
        before = await row_counts(session)
    stale = await console.post(RULES, data=form, headers=ZH)
    assert stale.status_code == 409
    assert alert_text(stale.text).startswith("您打开页面后有人修改了此内容，未保存任何内容。")
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_an_admin_adds_and_removes_restriction_entries(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    list_id = await a_list(db, world)
    (northwind,) = await entry_ids(db, list_id)
    page = await console.get(LISTS, headers=EN)
    assert (
        f'<tr id="entry-{northwind}"><td>Northwind Storage</td><td>export control</td>'
        f"<td>2025-01-02</td><td>{world.vendor_us}</td>"
    ) in page.text
    # when the admin adds Huaxin Networks
    added = await console.post(
        f"{LISTS}/entries",
        data={"csrf": form_csrf(page.text), "listId": str(list_id),
              "entry.supplierName": "Huaxin Networks", "entry.reason": "sanctions",
              "entry.listedOn": "2025-03-01", "entry.vendorId": str(world.vendor_cn)},
    )  # fmt: skip
    assert added.status_code == 303
    shown = await console.get(added.headers["location"], headers=EN)
    ids = await entry_ids(db, list_id)
    assert len(ids) == 2
    assert (
        f'<tr id="entry-{ids[1]}"><td>Huaxin Networks</td><td>sanctions</td>'
        f"<td>2025-03-01</td><td>{world.vendor_cn}</td>"
    ) in shown.text
    link = job_link(shown.text)
    # and removes Northwind Storage
    remove = f"{LISTS}/{list_id}/entries/remove"
    gone = {"csrf": form_csrf(shown.text), "supplierName": "Northwind Storage"}
    removed = await console.post(remove, data=gone)
    assert removed.status_code == 303
    after = await console.get(removed.headers["location"], headers=EN)
    # (the list is stored whole, so its entries get new ids: a page opened before is stale)
    assert len(await entry_ids(db, list_id)) == 1
    assert "Northwind Storage</td>" not in after.text and "<td>Huaxin Networks</td>" in after.text
    assert job_link(after.text) != link
    # then removing it again (a page opened before) is a conflict and changes nothing
    async with db.sessions() as session:
        before = await row_counts(session)
    again = await console.post(remove, data=gone, headers=EN)
    assert again.status_code == 409
    assert "'Northwind Storage' is no longer on the list 'Unreliable entities'" in alert_text(
        again.text
    )
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_bad_entry_is_refused_by_field_and_stores_nothing(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    list_id = await a_list(db, world)
    page = await console.get(LISTS, headers=EN)
    async with db.sessions() as session:
        before = await row_counts(session)
    refused = await console.post(
        f"{LISTS}/entries",
        data={"csrf": form_csrf(page.text), "listId": str(list_id),
              "entry.supplierName": "northwind storage", "entry.reason": "",
              "entry.listedOn": "2025-13-01", "entry.vendorId": "99999"},
        headers=EN,
    )  # fmt: skip
    assert refused.status_code == 422
    assert field_error(refused.text, "entry.supplierName") == (
        "'northwind storage' is listed twice"
    )
    assert field_error(refused.text, "entry.reason") == "is required"
    assert field_error(refused.text, "entry.listedOn") == "'2025-13-01' is not a date (YYYY-MM-DD)"
    assert field_error(refused.text, "entry.vendorId") == "vendor 99999 not found"
    # a list number that is a digit to str.isdigit but not to int() is not found (not a 500)
    odd = await console.post(
        f"{LISTS}/entries",
        data={"csrf": form_csrf(page.text), "listId": "²", "entry.supplierName": "X",
              "entry.reason": "y", "entry.listedOn": "2025-03-01"},
        headers=EN,
    )  # fmt: skip
    assert odd.status_code == 422
    assert field_error(odd.text, "listId") == "restriction list 0 not found"
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_other_roles_are_refused_and_change_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    list_id = await a_list(db, world)
    for sign_in in (buyer, reviewer, huaxin):
        await sign_in(client, db, world)
        csrf = form_csrf((await client.get("/", headers=EN)).text)
        async with db.sessions() as session:
            before = await row_counts(session)
        posts = [
            (RULES, {"csrf": csrf, "version": "2", "thresholds.sbom_quality": "70"}),
            (LISTS, {"csrf": csrf, "name": "Mine", "source": "x", "publishedOn": "2025-01-01"}),
            (f"{LISTS}/entries", {"csrf": csrf, "listId": str(list_id),
                                  "entry.supplierName": "X", "entry.reason": "y",
                                  "entry.listedOn": "2025-03-01"}),
            (f"{LISTS}/{list_id}/entries/remove",
             {"csrf": csrf, "supplierName": "Northwind Storage"}),
        ]  # fmt: skip
        for path, data in posts:
            denied = await client.post(path, data=data, headers=EN)
            assert denied.status_code == 403 and "<h1>Not allowed</h1>" in denied.text, path
        async with db.sessions() as session:
            assert await row_counts(session) == before


async def test_forms_without_their_csrf_token_are_refused(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    list_id = await a_list(db, world)
    page = await console.get(RULES, headers=EN)
    form = rule_form(page.text)
    async with db.sessions() as session:
        before = await row_counts(session)
    forged = {k: v for k, v in form.items() if k != "csrf"}
    assert (await console.post(RULES, data=forged)).status_code == 403
    remove = f"{LISTS}/{list_id}/entries/remove"
    forged_remove = {"csrf": "forged", "supplierName": "Northwind Storage"}
    assert (await console.post(remove, data=forged_remove)).status_code == 403
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_job_page_is_for_who_may_read_the_job(
    client: httpx.AsyncClient, console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(RULES, headers=EN)
    posted = await console.post(RULES, data=rule_form(page.text))
    link = job_link((await console.get(posted.headers["location"], headers=EN)).text)
    # a vendor, and staff of an operator the job is not of, get not found
    await huaxin(client, db, world)
    hidden = await client.get(link, headers=EN)
    assert hidden.status_code == 404
    assert (await client.get("/console/jobs/999999", headers=EN)).status_code == 404
    assert (await client.get("/console/jobs/abc", headers=EN)).status_code == 404


async def test_an_admin_creates_a_list_and_a_taken_name_is_refused(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(LISTS, headers=EN)
    assert '<p id="no-list" class="hint">No restriction list is stored yet.</p>' in page.text
    new = {"csrf": form_csrf(page.text), "name": "Entity list", "source": "BIS",
           "publishedOn": "2025-02-01"}  # fmt: skip
    created = await console.post(LISTS, data=new)
    assert created.status_code == 303
    shown = await console.get(created.headers["location"], headers=ZH)
    assert "<h2>Entity list <small>BIS · 发布于 2025-02-01</small></h2>" in shown.text
    assert '<td colspan="5">无条目。</td>' in shown.text
    job_link(shown.text)
    async with db.sessions() as session:
        before = await row_counts(session)
    taken = await console.post(LISTS, data={**new, "publishedOn": ""}, headers=EN)
    assert taken.status_code == 422
    assert field_error(taken.text, "name") == "a restriction list named 'Entity list' exists"
    assert field_error(taken.text, "publishedOn") == "is required"
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_failed_job_shows_its_error_and_stops_refreshing(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        job = await enqueue(session, "example.kind", {}, SYSTEM)
        job.state, job.error, job.progress_done = JobState.FAILED, "boom: no worker", 2
        await session.commit()
        job_id = job.id
    page = await console.get(f"/console/jobs/{job_id}", headers=EN)
    assert page.status_code == 200
    assert '<dd id="job-kind">example.kind</dd>' in page.text
    assert '<dd id="job-state">Failed</dd>' in page.text
    assert '<dd id="job-progress">2 done, total not counted yet</dd>' in page.text
    assert '<dd id="job-error">boom: no worker</dd>' in page.text
    assert "job-refresh.js" not in page.text and "data-refresh" not in page.text
