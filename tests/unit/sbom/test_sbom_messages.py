"""The SBOM readers' refusals carry a key and parameters of sbom/messages.py beside their English,
so the console can say them in Chinese; the English is the template filled in."""

from __future__ import annotations

import pytest

from procurement.sboms.messages import issue_text
from procurement.web.console.domain_texts import speaker
from sbom.decode import decode_input
from sbom.errors import IssueCode, SbomRejected
from sbom.messages import MESSAGES, issue


def test_an_issue_keeps_its_key_and_parameters_beside_its_english() -> None:
    made = issue(IssueCode.TOO_LARGE, "too_large", None, size=12, limit=10)
    assert made.message == "the upload is 12 bytes; the limit is 10"
    assert (made.key, made.params) == ("too_large", (("size", 12), ("limit", 10)))
    # equality is the API's shape: code, message, location
    assert made == type(made)(IssueCode.TOO_LARGE, "the upload is 12 bytes; the limit is 10")


def test_a_refusal_is_said_in_chinese_and_in_the_apis_english() -> None:
    with pytest.raises(SbomRejected) as refused:
        decode_input(b"x" * 11, max_bytes=10)
    [problem] = refused.value.errors
    text = issue_text(problem)
    assert text is not None
    assert speaker("zh-CN")(text, problem.message).text == "上传的文件为 11 字节，上限为 10 字节。"
    assert speaker("en")(text, problem.message).text == "the upload is 11 bytes; the limit is 10"


def test_an_issue_without_a_key_is_said_by_its_kind_with_the_readers_detail() -> None:
    # given issues a reader worded only in English: a schema violation, and a kind with no frame
    keyless = type(issue(IssueCode.EMPTY, "empty"))
    schema = issue_text(keyless(IssueCode.SCHEMA_INVALID, "'name' is a required property"))
    # then the first is its kind with the detail after it, the second has no text
    assert schema is not None
    assert speaker("zh-CN")(schema, "unused").text == (
        "不符合该格式的模式（schema）：'name' is a required property"
    )
    assert issue_text(keyless(IssueCode.TOO_MANY_COMPONENTS, "x")) is None


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_key_has_a_chinese_translation(key: str) -> None:
    # every template's placeholders, filled with their own names
    names = [part.split("}")[0] for part in MESSAGES[key].split("{")[1:]]
    made = issue(IssueCode.INVALID_JSON, key, None, **{n: n for n in names})
    said = speaker("zh-CN")(issue_text(made), made.message)
    assert said.lang is None and said.text != made.message
