"""The console's group totals for several groupings at once equal ``summary``'s, one grouping
at a time (the same digests, read twice instead of three times)."""

from __future__ import annotations

from datetime import date

import pytest

from procurement.enums import Role
from procurement.errors import PermissionDenied
from procurement.exposure import GroupBy
from procurement.exposure import reads as exposure
from procurement.permissions import SYSTEM, Principal
from tests.support.databases import DatabaseUnderTest

AS_OF = date(2026, 11, 21)


@pytest.mark.parametrize("what_if", [False, True])
async def test_group_summaries_equal_one_summary_per_grouping(
    db: DatabaseUnderTest, demo: str, what_if: bool
) -> None:
    # when
    async with db.sessions() as session:
        together = await exposure.group_summaries(
            session, SYSTEM, operator_id=None, as_of=AS_OF, what_if=what_if
        )
    # then each grouping has the groups, total and worst case summary() gives, no top list
    assert list(together) == [GroupBy.VENDOR, GroupBy.CATEGORY, GroupBy.ARTICLE]
    for group_by in GroupBy:
        async with db.sessions() as session:
            _run, alone = await exposure.summary(
                session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=group_by,
                what_if=what_if, top_n=0,
            )  # fmt: skip
        assert together[group_by] == alone, group_by
    assert len(together[GroupBy.VENDOR].groups) > 1


async def test_vendors_are_refused(db: DatabaseUnderTest, demo: str) -> None:
    vendor = Principal(role=Role.VENDOR, name="v", vendor_id=1)
    async with db.sessions() as session:
        with pytest.raises(PermissionDenied):
            await exposure.group_summaries(
                session, vendor, operator_id=None, as_of=AS_OF, what_if=False
            )
