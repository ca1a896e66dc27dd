from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from procurement.notifications.channels.text import truncate_utf8


def test_text_within_the_limit_is_unchanged() -> None:
    assert truncate_utf8("审查", 6) == "审查"


def test_a_cut_never_splits_a_chinese_character() -> None:
    # given 审查期限 (4 characters of 3 bytes) and a limit that falls inside the third one
    # when it is cut to 10 bytes (3 for the ellipsis, 7 left: two whole characters and one byte)
    cut = truncate_utf8("审查期限", 10)
    # then the half character is dropped whole
    assert cut == "审查…"
    assert len(cut.encode("utf-8")) == 9


def test_a_cut_on_a_character_boundary_keeps_every_whole_character() -> None:
    assert truncate_utf8("审查期限", 9) == "审查…"
    assert truncate_utf8("ab审查期限", 11) == "ab审查…"


def test_a_limit_smaller_than_the_marker_gives_what_fits() -> None:
    assert truncate_utf8("审查期限", 2) == ""
    assert truncate_utf8("审查期限", 3) == "…"


@given(st.text(), st.integers(min_value=0, max_value=200))
def test_a_cut_is_valid_utf8_within_the_limit_and_a_prefix(text: str, limit: int) -> None:
    cut = truncate_utf8(text, limit)
    encoded = cut.encode("utf-8")  # raises on a lone surrogate: none may appear
    assert len(encoded) <= limit
    if len(text.encode("utf-8", errors="surrogatepass")) <= limit:
        assert cut == text
    else:
        assert text.startswith(cut.removesuffix("…"))
