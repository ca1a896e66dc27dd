"""An SBOM refused on the vendor's upload page is explained in the page's language: the upload
answers a console session with each issue also under ``shown`` (Chinese on a zh-CN page, the
API's English on an English one), while its ``message`` and a token client's answer stay the
API's English. Nothing is stored."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.accounts import form_csrf
from tests.support.console import EN, ZH, huaxin
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts

DUPLICATE = (
    b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"name": "a", "name": "b"}]}'
)
NAMELESS = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library"}]}'
BROKEN_XML = (
    b'<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6">\n<components>'
)


async def stored_sboms(db: DatabaseUnderTest) -> dict[str, int]:
    async with db.sessions() as session:
        counts = await row_counts(session)
    return {k: v for k, v in counts.items() if k.startswith("sbom") and "reject" not in k}


async def test_upload_refusals_are_shown_in_the_pages_language(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a vendor on its purchase's SBOM page
    await huaxin(client, db, world)
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}/sboms", headers=EN)
    csrf = form_csrf(page.text)
    url = f"/api/purchases/{world.purchase_a_cn}/sbom"
    before = await stored_sboms(db)

    async def upload(content: bytes, language: dict[str, str]) -> list[dict[str, Any]]:
        answer = await client.put(url, content=content, headers={"x-csrf-token": csrf, **language})
        assert answer.status_code == 422, answer.text
        errors: list[dict[str, Any]] = answer.json()["errors"]
        return errors

    # when a JSON document with a key twice in one object is uploaded from a Chinese page
    zh = await upload(DUPLICATE, ZH)
    # then the issue keeps its code, JSON pointer and English, and is shown in Chinese
    assert zh == [{
        "code": "DUPLICATE_KEY",
        "location": "/components/0/name",
        "message": 'the key "name" appears more than once in one object; JSON readers disagree '
        "on which value counts (this service would keep the last, others the first), so the "
        "document is ambiguous: remove all but one",
        "shown": "键 \"name\" 在同一对象中出现了不止一次；各 JSON 读取程序对以哪个值为准并不一致"
        "（本服务取最后一个，其他程序取第一个），因此文档含义不明确：请只保留一个。",
    }]  # fmt: skip
    # and from an English page it is shown in the API's English
    en = await upload(DUPLICATE, EN)
    assert en == [zh[0] | {"shown": zh[0]["message"]}]
    # when an empty document, and XML that is not well-formed, are uploaded
    assert await upload(b"", ZH) == [{
        "code": "EMPTY", "location": None, "message": "the document is empty",
        "shown": "文档为空。",
    }]  # fmt: skip
    [xml] = await upload(BROKEN_XML, ZH)
    assert (xml["code"], xml["location"]) == ("INVALID_XML", "line 3")
    assert xml["message"].startswith("not well-formed XML: ")
    assert xml["shown"] == "XML 格式不正确：" + xml["message"].removeprefix("not well-formed XML: ")
    # when a document breaks the CycloneDX schema (a component without its name)
    [schema] = await upload(NAMELESS, ZH)
    # then the page says what kind of problem it is in Chinese, the validator's detail after it
    assert (schema["code"], schema["location"]) == ("SCHEMA_INVALID", "/components/0")
    assert schema["shown"] == "不符合该格式的模式（schema）：" + schema["message"]
    # then nothing was stored
    assert await stored_sboms(db) == before


async def test_a_token_client_gets_the_apis_answer_without_shown(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # when a pipeline uploads an empty document with its token, asking for Chinese
    answer = await client.put(
        f"/api/purchases/{world.purchase_a_cn}/sbom", content=b"",
        headers={"authorization": f"Bearer {world.secrets['vendor']}", **ZH},
    )  # fmt: skip
    # then the answer is the API's, in English only
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"code": "EMPTY", "location": None, "message": "the document is empty"}
    ]
