"""The warm summary's SQL path (procurement.exposure.aggregate) gives exactly what the Python
path over decoded digests and the full computation give, for every grouping and variant, and
follows the cache's invalidation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import and_, case, func, select

from procurement.exposure import GroupBy, Summary, aggregate, cache, summarise
from procurement.exposure import reads as exposure
from procurement.exposure.cache import digests, missing_digests, visible_purchases
from procurement.exposure.parts import BLANK
from procurement.exposure.summary import summarise_digests
from procurement.models import ExposureSlice, ExposureSnapshot, Purchase
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases
from procurement.screening.actions.rates import set_exchange_rate
from tests.support.databases import DatabaseUnderTest
from tests.support.world import purchase_input

AS_OF = date(2026, 11, 21)


def _exact(value: object) -> object:
    """Decimals as their strings: equal values with another exponent print differently."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_exact(v) for v in value]
    if hasattr(value, "__slots__"):
        return {s: _exact(getattr(value, s)) for s in value.__slots__}
    return value


def _figures(summary: Summary) -> object:
    return _exact((summary.groups, summary.total, summary.conditional_max))


async def _takes_sql_path(db: DatabaseUnderTest, what_if: bool) -> bool:
    async with db.sessions() as session:
        visible = visible_purchases(SYSTEM, None, AS_OF).subquery()
        found = await aggregate.group_totals(session, visible, AS_OF, what_if, list(GroupBy))
    return found is not None


async def _check_equal(db: DatabaseUnderTest, what_if: bool) -> dict[GroupBy, Summary]:
    """Every grouping's warm summary equals the Python path and the full computation."""
    out = {}
    for group_by in GroupBy:
        async with db.sessions() as session:
            run, warm = await exposure.summary(
                session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=group_by,
                what_if=what_if,
            )  # fmt: skip
            rows, _unpriced = await digests(
                session, SYSTEM, operator_id=None, as_of=AS_OF, what_if=what_if,
                with_articles=group_by is GroupBy.ARTICLE,
            )  # fmt: skip
            full = await exposure.assess(session, SYSTEM, as_of=AS_OF, what_if=what_if)
            together = await exposure.group_summaries(
                session, SYSTEM, operator_id=None, as_of=AS_OF, what_if=what_if
            )
        groups, top, total, worst = summarise_digests(rows.values(), group_by, top_n=10)
        expected = summarise(full.exposures, group_by, top_n=10)
        assert _figures(warm) == _exact((groups, total, worst)), group_by
        assert _figures(warm) == _figures(expected), group_by
        assert [e.purchase_id for e in warm.top] == [d.purchase_id for d in top]
        assert [e.purchase_id for e in warm.top] == [e.purchase_id for e in expected.top]
        assert run.purchase_count == len(rows) == len(full.exposures)
        assert _figures(together[group_by]) == _figures(warm)
        assert together[group_by].top == ()
        out[group_by] = warm
    return out


async def _cached_then_usd_rate_changed(db: DatabaseUnderTest) -> None:
    """The demo's digests cached by a summary, then a USD rate change dropping the USD ones."""
    async with db.sessions() as session:
        await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
        await set_exchange_rate(session, SYSTEM, "USD", "9.5000", date(2025, 1, 1), "test")


@pytest.mark.parametrize("what_if", [False, True])
async def test_sql_path_equals_python_path_and_full_computation(
    db: DatabaseUnderTest, demo: str, what_if: bool
) -> None:
    # given the demo data set, its digests not cached yet: the SQL path does not apply
    assert not await _takes_sql_path(db, what_if)
    # when a summary fills the cache
    async with db.sessions() as session:
        await exposure.group_summaries(
            session, SYSTEM, operator_id=None, as_of=AS_OF, what_if=what_if
        )
    # then the SQL path applies, and gives exactly the other two computations' figures
    assert await _takes_sql_path(db, what_if)
    warm = await _check_equal(db, what_if)
    assert len(warm[GroupBy.VENDOR].groups) > 1
    assert len(warm[GroupBy.ARTICLE].groups) >= 1


async def test_sql_path_follows_invalidation(db: DatabaseUnderTest, demo: str) -> None:
    # given the demo data set with its digests cached and the SQL path in use
    async with db.sessions() as session:
        _run, before = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
    assert await _takes_sql_path(db, False)
    # when the USD rate changes (dropping the USD purchases' digests)
    async with db.sessions() as session:
        await set_exchange_rate(session, SYSTEM, "USD", "9.5000", date(2025, 1, 1), "test")
    # then the next summary is recomputed, changed, and the SQL path again equals the rest
    assert not await _takes_sql_path(db, False)
    async with db.sessions() as session:
        _run, after = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
    assert await _takes_sql_path(db, False)
    assert after.total != before.total
    assert after.total.max > before.total.max
    await _check_equal(db, False)


async def test_the_first_statement_of_a_cold_summary_names_the_missing_purchases(
    db: DatabaseUnderTest, demo: str
) -> None:
    # given the demo data set with its digests cached, then a USD rate change dropping some
    await _cached_then_usd_rate_changed(db)
    async with db.sessions() as session:
        dropped = list((await session.scalars(missing_digests(AS_OF))).all())
        # when the totals are asked
        visible = visible_purchases(SYSTEM, None, AS_OF).subquery()
        cold = await aggregate.totals_or_missing(session, visible, AS_OF, False, [GroupBy.VENDOR])
        # and again once the summary has computed them
        await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
        warm = await aggregate.totals_or_missing(session, visible, AS_OF, False, [GroupBy.VENDOR])
    # then the cold answer is no totals and the dropped purchases, in ascending order; the
    # warm one the totals and none
    assert dropped and dropped == sorted(dropped)
    assert cold == (None, dropped)
    assert warm[0] is not None and warm[1] == []


def _no_python_path(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the summary decoded every digest instead of answering by SQL")


async def test_a_cold_summary_computes_what_is_missing_then_answers_by_sql(
    db: DatabaseUnderTest, demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the demo data set with its digests cached, then a USD rate change dropping some
    await _cached_then_usd_rate_changed(db)
    assert not await _takes_sql_path(db, False)
    # when the next summary and group summaries are asked, the Python path unavailable
    monkeypatch.setattr(exposure, "digests", _no_python_path)
    async with db.sessions() as session:
        _run, first = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
    # then the missing digests were stored and the SQL gave the full computation's figures
    assert await _takes_sql_path(db, False)
    monkeypatch.undo()
    assert _figures(first) == _figures((await _check_equal(db, False))[GroupBy.VENDOR])


async def test_an_unpriced_purchase_leaves_the_others_on_the_sql_path(
    db: DatabaseUnderTest, demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the demo data set with its digests cached, then a purchase in a currency that has
    # no exchange rate (issue 14: one such purchase sent every summary down the Python path)
    async with db.sessions() as session:
        run, before = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
        some = (await session.execute(select(Purchase.operator_id, Purchase.vendor_id))).first()
        assert some is not None
        added = await purchases.register_purchase(
            session, SYSTEM, purchase_input(some.operator_id, some.vendor_id, "X", currency="GBP")
        )
    # when the summaries are asked again, the Python path unavailable
    monkeypatch.setattr(exposure, "digests", _no_python_path)
    async with db.sessions() as session:
        run_after, after = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
        together = await exposure.group_summaries(
            session, SYSTEM, operator_id=None, as_of=AS_OF, what_if=True
        )
    # then SQL answers: the purchase is listed as unpriced with its reason, the rest as before
    assert [u.purchase_id for u in after.unpriced] == [added.id]
    assert "GBP" in after.unpriced[0].reason
    assert (_figures(after), after.top, run_after.purchase_count) == (
        _figures(before), before.top, run.purchase_count,
    )  # fmt: skip
    assert {dim: s.unpriced for dim, s in together.items()} == {
        dim: after.unpriced for dim in GroupBy
    }


async def _blank_digests(db: DatabaseUnderTest, what_if: bool) -> tuple[int, int, int]:
    """(digests blank in the variant, their slices of it, (vendor, category) pairs whose
    digests all are: the SQL path's groups without a slice)."""
    S, X = ExposureSnapshot, ExposureSlice
    strings = (
        (S.what_if_total_min, S.what_if_total_max, S.what_if_worst, S.what_if_articles)
        if what_if
        else (S.total_min, S.total_max, S.worst, S.articles)
    )
    blank = and_(*(column == text for column, text in zip(strings, BLANK, strict=True)))
    async with db.sessions() as session:
        ids = select(S.purchase_id).where(blank)
        digests_ = await session.scalar(select(func.count()).select_from(ids.subquery()))
        slices = await session.scalar(
            select(func.count()).where(X.purchase_id.in_(ids), X.what_if == what_if)
        )
        only_blank = await session.scalar(
            select(func.count()).select_from(
                select(S.vendor, S.category)
                .group_by(S.vendor, S.category)
                .having(func.min(case((blank, 1), else_=0)) == 1)
                .subquery()
            )
        )
    return digests_ or 0, slices or 0, only_blank or 0


@pytest.mark.parametrize("what_if", [False, True])
async def test_blank_digests_store_no_slices_and_sql_still_answers(
    db: DatabaseUnderTest, demo: str, what_if: bool
) -> None:
    # given the demo data set, its digests cached by a summary
    async with db.sessions() as session:
        await exposure.group_summaries(
            session, SYSTEM, operator_id=None, as_of=AS_OF, what_if=what_if
        )
    # then the digests of no exposure at all (parts.BLANK) have no slice of the variant, some
    # vendor's purchases of some category all being such
    blank, slices, groups = await _blank_digests(db, what_if)
    assert blank > 0 and groups > 0
    assert slices == 0
    # and the SQL path still applies and gives the full computation's figures exactly
    assert await _takes_sql_path(db, what_if)
    await _check_equal(db, what_if)


async def test_a_cold_summary_adds_the_fresh_digests_to_its_first_statements_sums(
    db: DatabaseUnderTest, demo: str
) -> None:
    # given the demo data set with its digests cached
    async with db.sessions() as session:
        await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
    for n, (what_if, group_by) in enumerate((w, g) for w in (False, True) for g in GroupBy):
        # and a USD rate change dropping some of them (each time another rate)
        async with db.sessions() as session:
            await set_exchange_rate(session, SYSTEM, "USD", f"9.{n}000", date(2025, 1, 1), "test")
        assert not await _takes_sql_path(db, what_if)
        # when the cold summary is asked, then the warm one
        async with db.sessions() as session:
            with db.queries.counting() as statements:
                _run, cold = await exposure.summary(
                    session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=group_by,
                    what_if=what_if,
                )  # fmt: skip
            _run, warm = await exposure.summary(
                session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=group_by,
                what_if=what_if,
            )  # fmt: skip
        # then the cold one summed the stored digests once, not again after computing the
        # missing ones, and its figures are exactly the warm one's
        grouped = [s for s in statements if "GROUP BY exposure_snapshots.vendor" in s]
        assert (what_if, group_by, len(grouped)) == (what_if, group_by, 1)
        assert _figures(cold) == _figures(warm)


async def test_a_cold_summary_whose_fresh_digests_have_no_slices_takes_the_python_path(
    db: DatabaseUnderTest, demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the demo data set with its digests cached, then a USD rate change dropping some,
    # and amounts that cannot be split into parts (as with more than 9 decimals)
    await _cached_then_usd_rate_changed(db)
    monkeypatch.setattr(cache, "split_text", lambda _amount, _text: None)
    decoded: list[bool] = []
    real_digests = digests

    async def counted_digests(*args: object, **kwargs: object) -> object:
        decoded.append(True)
        return await real_digests(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(exposure, "digests", counted_digests)
    # when the cold summary is asked
    async with db.sessions() as session:
        _run, cold = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
        rows, _unpriced = await real_digests(
            session, SYSTEM, operator_id=None, as_of=AS_OF, what_if=False, with_articles=False
        )
    # then it decoded the digests (the SQL cannot add them up) and gives their figures
    groups, _top, total, worst = summarise_digests(rows.values(), GroupBy.VENDOR, top_n=10)
    assert decoded == [True]
    assert _figures(cold) == _exact((groups, total, worst))
