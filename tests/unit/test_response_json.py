"""GraphQL responses are rendered with orjson (issue 14, throughput) in the same bytes json.dumps
gave: a Decimal stays an exact string, Chinese text is not escaped, a datetime goes through str()."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum

from schema.core.http import JSON_TYPE, _Json, render_json


class Verdict(StrEnum):
    CLEAR = "CLEAR"


def _old(content: object) -> bytes:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str).encode()


RESPONSE = {
    "data": {
        "purchase": {
            "amount": Decimal("1234567.10"),
            "title": "数据库一体机采购",
            "contractedAt": datetime(2025, 4, 1, 9, 30, tzinfo=timezone(timedelta(hours=8))),
            "verdict": Verdict.CLEAR,
            "count": 3,
            "share": 0.25,
            "flags": [True, False, None],
        }
    }
}


def test_a_response_with_a_decimal_chinese_text_and_a_datetime_has_exact_bytes() -> None:
    # when a response is rendered
    body = _Json(RESPONSE, 200, JSON_TYPE).body
    # then its bytes are pinned: money as an exact string, text unescaped UTF-8, str(datetime)
    assert (
        body
        == (
            '{"data":{"purchase":{"amount":"1234567.10","title":"数据库一体机采购",'
            '"contractedAt":"2025-04-01 09:30:00+08:00","verdict":"CLEAR","count":3,'
            '"share":0.25,"flags":[true,false,null]}}}'
        ).encode()
    )
    # and they are those json.dumps gave before
    assert body == _old(RESPONSE)


def test_what_orjson_refuses_is_rendered_by_json() -> None:
    # given an integer past 64 bits (orjson refuses it)
    content = {"n": 2**70, "at": datetime(2025, 1, 1, tzinfo=UTC)}
    # then the response is still rendered, as before
    assert render_json(content) == b'{"n":1180591620717411303424,"at":"2025-01-01 00:00:00+00:00"}'
