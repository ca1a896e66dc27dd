"""The server-drawn bar charts and the CSV writer of the console (pure, no database)."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

from procurement.web.console.charts import Bar, bar_chart, short_label
from procurement.web.console.spreadsheet import document, safe_cell

SVG = "{http://www.w3.org/2000/svg}"


def text_of(element: ElementTree.Element, tag: str) -> str | None:
    found = element.find(f"{SVG}{tag}")
    assert found is not None, tag
    return found.text


def bars() -> list[Bar]:
    return [
        Bar(
            "Northwind", Decimal("100"), Decimal("1000"), Decimal("2000"), "Northwind: 100 to 1,000"
        ),
        Bar("A & <B>", Decimal("0"), Decimal("0"), Decimal("500"), 'A & <B> "quoted"'),
    ]


def test_one_group_per_bar_with_its_title_and_the_chart_named() -> None:
    # when
    svg = bar_chart(bars(), caption="By vendor", chart_id="chart-vendor")
    # then it is well-formed XML: a titled svg, one <g class="bar"> per bar, in order
    root = ElementTree.fromstring(svg)
    assert (root.get("role"), root.get("aria-labelledby")) == ("img", "chart-vendor-title")
    assert text_of(root, "title") == "By vendor"
    groups = root.findall(f"{SVG}g")
    assert [text_of(g, "title") for g in groups] == [
        "Northwind: 100 to 1,000",
        'A & <B> "quoted"',
    ]
    assert [text_of(g, "text") for g in groups] == ["Northwind", "A & <B>"]


def test_bars_are_scaled_to_the_largest_worst_case() -> None:
    svg = bar_chart(bars(), caption="c", chart_id="c")
    root = ElementTree.fromstring(svg)
    first, second = root.findall(f"{SVG}g")
    worst, span = first.findall(f"{SVG}rect")
    # 430 user units for 2,000: the range 100..1,000 starts at 21.5 and is 193.5 wide
    assert (worst.get("x"), worst.get("width")) == ("200", "430.00")
    assert (span.get("x"), span.get("width")) == ("221.50", "193.50")
    assert second.findall(f"{SVG}rect")[0].get("width") == "107.50"


def test_markup_in_a_label_is_text_never_markup() -> None:
    svg = bar_chart(bars(), caption="<script>", chart_id='x"y')
    assert "<B>" not in svg and "<script>" not in svg
    assert "A &amp; &lt;B&gt;" in svg and 'id="x&quot;y"' in svg


def test_an_empty_chart_is_still_an_svg() -> None:
    svg = bar_chart([], caption="Nothing", chart_id="e")
    root = ElementTree.fromstring(svg)
    assert root.findall(f"{SVG}g") == [] and root.get("height") == "32"


def test_long_labels_are_shortened_by_width_chinese_counting_double() -> None:
    assert short_label("Northwind Storage") == "Northwind Storage"
    assert short_label("x" * 31) == "x" * 29 + "…"
    assert short_label("关键信息基础设施安全保护条例第四十一条") == "关键信息基础设施安全保护条例…"
    assert len(re.sub("…", "", short_label("中" * 20))) == 14


def test_csv_cells_defuse_formulas_and_keep_numbers() -> None:
    assert [safe_cell(v) for v in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "ok", None)] == [
        "'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\tx", "ok", ""
    ]  # fmt: skip
    assert safe_cell(Decimal("1E+7")) == "10000000" and safe_cell(-3) == "-3"


def test_the_csv_document_has_a_bom_crlf_rows_and_quotes() -> None:
    body = document(["名称", "金额"], [["华信, 公司", Decimal("1795003.55")], ['"x"', 2]])
    assert body == (
        b"\xef\xbb\xbf\xe5\x90\x8d\xe7\xa7\xb0,\xe9\x87\x91\xe9\xa2\x9d\r\n"
        + '"华信, 公司",1795003.55\r\n'.encode()
        + b'"""x""",2\r\n'
    )
