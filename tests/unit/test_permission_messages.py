"""A refusal says what the role may not do in words, never the internal action name."""

from __future__ import annotations

import pytest

from procurement.enums import Role
from procurement.errors import PermissionDenied
from procurement.permissions import WHAT_IT_ALLOWS, Action, Principal, require


def test_every_action_has_words_and_none_is_an_internal_name() -> None:
    assert set(WHAT_IT_ALLOWS) == set(Action)
    assert [a for a, words in WHAT_IT_ALLOWS.items() if "_" in words or a.value in words] == []


def test_a_vendor_refused_the_exposure_reads_why() -> None:
    vendor = Principal(role=Role.VENDOR, name="Huaxin CI", token_id=7, vendor_id=1)
    with pytest.raises(PermissionDenied) as refused:
        require(vendor, Action.READ_EXPOSURE)
    assert refused.value.message == (
        "role 'vendor' may not see the fines a purchase may expose the operator to"
    )
