"""A reference that is not found and an edit that lost a race keep the API's English, and a
Chinese page says them in Chinese, naming the object."""

from __future__ import annotations

import pytest

from procurement.agreements.store.facts import english_only_errors
from procurement.concurrency import check_expected_version
from procurement.errors import InputError, NotFound
from procurement.web.console.domain_texts import speaker

ZH = speaker("zh-CN")


def test_a_missing_purchase_in_both_languages() -> None:
    # given a reference to a purchase that does not exist
    error = NotFound("purchaseId", "purchase", 42).errors[0]
    # then the API's English is as before, and Chinese names the purchase
    assert (error.field, error.message, error.code) == (
        "purchaseId",
        "purchase 42 not found",
        "NOT_FOUND",
    )
    assert error.text is not None and ZH(error.text, error.message).text == "未找到采购 42。"


def test_an_object_the_catalog_does_not_name_is_still_said() -> None:
    # given a kind of object with no entry of its own
    error = NotFound(None, "widget", "x-1").errors[0]
    # then the English is as before, and the Chinese carries the name as written
    assert error.message == "widget x-1 not found"
    assert error.text is not None and ZH(error.text, error.message).text == "未找到widget x-1。"


def test_a_stale_version_in_both_languages() -> None:
    # when an edit made from version 3 meets version 4
    with pytest.raises(InputError) as refused:
        check_expected_version("purchase", current=4, expected=3)
    error = refused.value.errors[0]
    # then
    assert error.message == (
        "the purchase is at version 4, not 3: it was changed after it was read; nothing was "
        "saved: reload it and try again"
    )
    assert error.text is not None and ZH(error.text, error.message).text == (
        "该采购现为第 4 版，而不是第 3 版：读取后已被修改；未保存任何内容：请重新载入后再试。"
    )


def test_a_fact_in_english_only_for_a_chinese_agreement() -> None:
    # given the provider's name recorded in English only
    facts = [("vendor.name", "Huaxin Networks")]
    # when a Chinese agreement's facts are checked
    [error] = english_only_errors(facts)
    # then the API keeps its English, and a Chinese page names the fact and the fix in Chinese
    assert error.message == (
        "The provider's name is in English only ('Huaxin Networks'); the Chinese text prevails "
        "(clause 16.4) and must be in Chinese: record the vendor's nameZh (updateVendor) or give "
        "overrides.vendor.nameZh."
    )
    assert error.text is not None
    said = ZH(error.text, error.message)
    assert said.lang is None and said.text.endswith(
        "仅有英文（'Huaxin Networks'）；协议以中文文本为准（第 16.4 条），此项须为中文：请登记供应商的"
        "中文名称（nameZh，updateVendor），或填写 overrides.vendor.nameZh。"
    )
