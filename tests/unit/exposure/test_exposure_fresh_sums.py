"""procurement.exposure.aggregate.FreshSums: a cold fill's fresh whole-purchase slices summed
per vendor and category as the summary's first statement sums the stored ones."""

from __future__ import annotations

from procurement.exposure.aggregate import FreshSums
from procurement.exposure.summary import UNSPECIFIED


def test_fresh_slices_are_summed_per_group_as_sql_sums_them() -> None:
    # given three slices of one vendor and category, one of another, one without either
    fresh = FreshSums()
    fresh.add(4, "V1", "C", (1, 500_000_000, -1, 2, 0, 0, 3, 250_000_000, -2))
    fresh.add(2, "V1", "C", (0, 0, 0, 5, 10, -9, 0, 0, 0))
    fresh.add(7, "V2", "C", (9, 0, 0, 9, 0, 0, 9, 0, 0))
    fresh.add(9, "V1", "C", (0, 1, -9, 0, 0, -2, 1, 0, 0))
    fresh.add(11, None, "", (1, 0, 0, 1, 0, 0, 1, 0, 0))
    # when sealed and read as the first statement's rows
    fresh.seal()
    rows = fresh.rows()
    # then per group: the counts, the ids in the order added, the parts summed and the
    # smallest exponent of each amount; a missing vendor or category is UNSPECIFIED
    assert rows == [
        ("V1", "C", 3, 3, 3, "4,2,9", 1, 500_000_001, -9, 7, 10, -9, 4, 250_000_000, -2, None),
        ("V2", "C", 1, 1, 1, "7", 9, 0, 0, 9, 0, 0, 9, 0, 0, None),
        (UNSPECIFIED, UNSPECIFIED, 1, 1, 1, "11", 1, 0, 0, 1, 0, 0, 1, 0, 0, None),
    ]
    assert (fresh.count, fresh.unsliced) == (5, False)


def test_a_digest_without_slices_is_counted_and_marks_the_sums_unsliced() -> None:
    # given one sliced digest and one without slices (an amount with more than 9 decimals)
    fresh = FreshSums()
    fresh.add(1, "V", "C", (1, 0, 0, 1, 0, 0, 1, 0, 0))
    fresh.add(2, "V", "C", None)
    # then both count, and the SQL path cannot answer from them
    assert (fresh.count, fresh.unsliced) == (2, True)
    assert fresh.rows() == [("V", "C", 1, 1, 1, "1", 1, 0, 0, 1, 0, 0, 1, 0, 0, None)]
