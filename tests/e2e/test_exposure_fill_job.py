"""The changes that drop cached exposure figures show the fill job they enqueued (issue 14):
GraphQL's setExchangeRate and updatePenaltySchedules answer with it, and the admin pages show it
with a link to the job's page, which shows its outcome once a worker ran it."""

from __future__ import annotations

import re
from typing import Any

import httpx
import orjson

from procurement.exposure import reads
from procurement.exposure.fill import FILL_CACHE
from procurement.permissions import SYSTEM
from tests.support.accounts import form_csrf
from tests.support.console import EN, ZH
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import JOB, run_jobs
from tests.support.world import World, gql

SET_RATE = """mutation R($input: SetExchangeRateInput!) { setExchangeRate(input: $input) {
  exchangeRate { currency } job { id kind state } errors { field message code } } }"""
UPDATE = """mutation U($d: String!) { updatePenaltySchedules(document: $d, note: "t") {
  version job { id kind state } errors { field message code } } }"""
RATES = "/console/admin/exchange-rates"


async def ok(
    client: httpx.AsyncClient, secret: str, query: str, variables: dict[str, Any] | None = None
) -> Any:
    status, body = await gql(client, secret, query, variables)
    assert status == 200 and "errors" not in body, body
    return body["data"]


async def test_the_rate_and_schedule_mutations_answer_with_their_fill_job(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    admin = world.secrets["admin"]
    # when an admin records a USD rate
    rate = {"currency": "USD", "rateToCny": "7.1", "validFrom": "2025-01-01", "source": "PBOC"}
    data = (await ok(client, admin, SET_RATE, {"input": rate}))["setExchangeRate"]
    # then the payload carries the queued fill job
    assert data["errors"] == [] and data["exchangeRate"] == {"currency": "USD"}
    assert data["job"]["kind"] == FILL_CACHE and data["job"]["state"] == "QUEUED"
    # and a refused rate carries no job
    bad = {**rate, "currency": "CNY"}
    refused = (await ok(client, admin, SET_RATE, {"input": bad}))["setExchangeRate"]
    assert refused["job"] is None and refused["errors"][0]["field"] == "currency"
    # when the admin stores the schedules as a new version
    document = orjson.dumps({"schedules": [{"id": "x"}]}).decode()
    wrong = (await ok(client, admin, UPDATE, {"d": document}))["updatePenaltySchedules"]
    assert wrong["job"] is None and wrong["version"] is None
    async with db.sessions() as session:
        _version, records = await reads.schedules_document(session, SYSTEM)
    stored = (
        await ok(client, admin, UPDATE, {"d": orjson.dumps({"schedules": records}).decode()})
    )["updatePenaltySchedules"]
    # then it too answers with its own fill job, and a worker runs both
    assert stored["version"] == 1 and stored["errors"] == []
    assert stored["job"]["kind"] == FILL_CACHE and stored["job"]["id"] != data["job"]["id"]
    await run_jobs(db)
    for job_id in (data["job"]["id"], stored["job"]["id"]):
        job = (await ok(client, admin, JOB, {"id": job_id}))["job"]
        assert job["state"] == "SUCCEEDED" and job["attempts"] == 1
        assert set(job["outcome"]) == {"asOf", "stored", "unpriced"}


async def test_the_rate_page_shows_the_fill_job_and_its_outcome(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(RATES, headers=EN)
    # when the admin records a rate
    posted = await console.post(
        RATES,
        data={"csrf": form_csrf(page.text), "currency": "USD", "rateToCny": "7.1884",
              "validFrom": "2025-03-03", "source": "PBOC central parity"},
    )  # fmt: skip
    assert posted.status_code == 303
    shown = await console.get(posted.headers["location"], headers=EN)
    # then the page shows the queued fill job with a link to its page
    found = re.search(r'<a id="job-link" href="(/console/jobs/\d+)">', shown.text)
    assert found is not None
    assert "(Refill the exposure figures) was queued: Queued." in shown.text
    zh = await console.get(posted.headers["location"], headers=ZH)
    assert "（重新计算处罚风险数据）" in zh.text
    # and once a worker ran it, the job page says what it stored, in Chinese too
    await run_jobs(db)
    done = await console.get(found.group(1), headers=ZH)
    assert '<dd id="job-state">已完成</dd>' in done.text
    assert "已计价的采购" in done.text
