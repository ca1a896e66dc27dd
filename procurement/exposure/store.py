"""Session helpers of the exposure domain: the rates and schedules in force, the calculator's
facts, the computation itself. They never commit and never check permission: the calling read
has checked it and chosen the purchases.

How the stored screening and review state maps to the legal facts is the pure
:mod:`procurement.exposure.review_facts`; acts after ``as_of`` (a contract signed or a product
put into use later) are not counted.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any, Protocol, cast

from sqlalchemy import Row, String, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import AgreementState, CaseState, PersonRole, PurchaseCategory, Verdict
from procurement.exposure import (
    ExchangeRate,
    PenaltySchedule,
    PurchaseExposure,
    PurchaseExposureFacts,
    ResponsiblePerson,
    Role,
    assess_purchase,
    load_seed_schedules,
    parse_schedules,
    what_if_compliant,
)
from procurement.exposure.id_set import among
from procurement.exposure.results import ExposureRun
from procurement.exposure.review_facts import CaseRecord, ReviewFacts, review_facts
from procurement.identification import CiiPeriod
from procurement.models import (
    Agreement,
    Operator,
    OperatorIdentification,
    Purchase,
    ReviewCase,
    ScreeningRecord,
    Vendor,
)
from procurement.models import ResponsiblePerson as PersonRow
from procurement.models.exposure import ExchangeRateRow, PenaltyScheduleSet

_ROLE = {PersonRole.PERSON_IN_CHARGE: Role.PERSON_IN_CHARGE,
         PersonRole.OTHER_RESPONSIBLE: Role.OTHER_RESPONSIBLE}  # fmt: skip


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while thousands of lasting objects are built (a
    cold exposure cache's rows, facts and digests): each collection would walk the whole
    growing heap again (measured: about 40% of a cold fill of 6,847 digests in a process that
    has not frozen its startup objects). Reference counting still frees everything as usual;
    cycles made meanwhile are collected once it resumes."""
    if not gc.isenabled():  # nested, or paused by someone else: leave it as found
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _stored(column: Any) -> Any:
    """An Enum column (native_enum=False) as stored, the member's name, not the member."""
    return type_coerce(column, String).label(column.key)


def purchase_label(purchase_id: int) -> str:
    """The calculator's label of a purchase (it knows no database ids, only strings)."""
    return str(purchase_id)


async def exchange_rates_unscoped(session: AsyncSession) -> list[ExchangeRateRow]:
    """Every rate (rates are global, not per operator)."""
    stmt = select(ExchangeRateRow).order_by(ExchangeRateRow.currency, ExchangeRateRow.valid_from)
    return list(await session.scalars(stmt))


def as_rates(rows: list[ExchangeRateRow]) -> tuple[ExchangeRate, ...]:
    return tuple(ExchangeRate(r.currency, r.rate_to_cny, r.valid_from, r.source) for r in rows)


async def latest_schedule_set(session: AsyncSession) -> PenaltyScheduleSet | None:
    """The newest stored schedule set; None while the shipped seed (version 0) is in force."""
    return await session.scalar(
        select(PenaltyScheduleSet).order_by(PenaltyScheduleSet.version.desc()).limit(1)
    )


async def current_schedules(session: AsyncSession) -> tuple[int, tuple[PenaltySchedule, ...]]:
    """(version, schedules) in force: the newest stored set, else the shipped seed (version 0)."""
    row = await latest_schedule_set(session)
    if row is None:
        return 0, load_seed_schedules()
    return row.version, parse_schedules(row.document)


class PurchaseRecord(Protocol):
    """The purchase columns the facts are built from: an ORM Purchase or a Core row of
    PURCHASE_COLUMNS (the cache reads thousands, without the ORM's per-object cost)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def contract_value(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    @property
    def tax_included(self) -> bool: ...
    @property
    def contract_date(self) -> date: ...
    @property
    def in_use_date(self) -> date | None: ...
    @property
    def vendor_id(self) -> int: ...
    @property
    def operator_id(self) -> int: ...
    @property
    def category(self) -> PurchaseCategory: ...
    @property
    def harm_to_life_or_finance(self) -> bool: ...
    @property
    def under_investigation_since(self) -> date | None: ...


PURCHASE_COLUMNS = (
    Purchase.id, Purchase.title, Purchase.contract_value, Purchase.currency,
    Purchase.tax_included, Purchase.contract_date, Purchase.in_use_date, Purchase.vendor_id,
    Purchase.operator_id, Purchase.category, Purchase.harm_to_life_or_finance,
    Purchase.under_investigation_since,
)  # fmt: skip
_NAMES = tuple(column.key for column in PURCHASE_COLUMNS)
_values = attrgetter(*_NAMES)
# The facts' fields in the order load_facts passes them.
_FACT_FIELDS = (
    "purchase_id", "title", "contract_value", "currency", "tax_included", "contract_date",
    "in_use_date", "may_affect_national_security", "review_passed", "review_failed",
    "agreement_signed", "agreement_act_date", "persons", "vendor", "category", "amount_scope",
    "operator_is_cii", "network_product", "cii_periods", "harm_to_life_or_finance",
    "investigated_on",
)  # fmt: skip
assert tuple(f.name for f in fields(PurchaseExposureFacts)) == _FACT_FIELDS
_AMOUNT_SCOPE = cast(
    str, next(f.default for f in fields(PurchaseExposureFacts) if f.name == "amount_scope")
)
# Each category's label and whether it is a network product, looked up once per purchase.
_CATEGORIES = {c: (c.value, c.is_network_product) for c in PurchaseCategory}


def plain_records(purchases: Sequence[PurchaseRecord]) -> list[tuple[Any, ...]]:
    """The PURCHASE_COLUMNS values of each purchase as a plain tuple. A Core row of
    PURCHASE_COLUMNS is its own tuple: reading a Row's values by name costs about a
    microsecond each (measured), and building the facts reads some twenty per purchase. The
    rows of one result share their columns: the first one's are checked."""
    rows = bool(purchases) and all(isinstance(p, Row) for p in purchases)
    if rows and cast(Row[Any], purchases[0])._fields == _NAMES:
        return [tuple(p) for p in cast(Sequence[Row[Any]], purchases)]
    return [_values(p) for p in purchases]


@dataclass(frozen=True, slots=True)
class LoadedFacts:
    """One purchase's facts on a day, the note for its actual exposure, and every date of its
    own that the day is compared with, before or after it (see procurement.exposure.validity)."""

    facts: PurchaseExposureFacts
    note: str | None
    own_dates: tuple[date | None, ...]


async def load_facts(
    session: AsyncSession, purchases: Sequence[PurchaseRecord], as_of: date
) -> list[LoadedFacts]:
    """The calculator's facts of each purchase on ``as_of``; a fixed number of Core statements
    (plain rows, no ORM objects), whatever the number of purchases."""
    rows = await read_fact_rows(session, purchases, as_of)
    return [rows.loaded(record) for record in rows.records]


async def read_fact_rows(
    session: AsyncSession, purchases: Sequence[PurchaseRecord], as_of: date
) -> FactRows:
    """What the facts of ``purchases`` on ``as_of`` are built from (:class:`FactRows`), in a
    fixed number of Core statements (plain rows, no ORM objects), whatever their number."""
    records = plain_records(purchases)
    ids = [r[0] for r in records]
    # Core execution on the session's connection, without the ORM's per-row loading; what
    # the ORM would have flushed first (autoflush) is flushed here.
    if session.sync_session.autoflush:
        await session.flush()
    connection = await session.connection()
    dialect = connection.dialect.name
    # (name, role) of each purchase's persons: ResponsiblePerson objects are built with the
    # facts (FactRows.loaded), which a cold cache fill builds once per shape of facts only.
    # The roles, verdicts and case states as stored (the enum members' names, _stored): each
    # distinct one is looked up once (FactRows), not each of some 40,000 by SQLAlchemy's Enum.
    persons: dict[int, list[tuple[str, str]]] = {}
    # .all(): one fetch of the buffered rows, not one fetchone per row (thousands here)
    for purchase_id, name, role in (
        await connection.execute(
            select(PersonRow.purchase_id, PersonRow.name, _stored(PersonRow.role))
            .where(among(PersonRow.purchase_id, ids, dialect))
            # Each purchase's persons in id order, as the index on purchase_id gives them
            # (ordered by id alone, SQLite sorted 20,000 rows: half the statement's time).
            .order_by(PersonRow.purchase_id, PersonRow.id)
        )
    ).all():
        persons.setdefault(purchase_id, []).append((name, role))
    verdicts: dict[int, str] = dict(
        (
            await connection.execute(
                select(ScreeningRecord.purchase_id, _stored(ScreeningRecord.verdict)).where(
                    among(ScreeningRecord.purchase_id, ids, dialect),
                    ScreeningRecord.superseded_at.is_(None),
                )
            )
        ).all()
    )
    cases: dict[int, tuple[Any, ...]] = {}  # CaseRecord's fields (FactRows.review)
    for purchase_id, state, state_since, declared_on, outcome_on in (
        await connection.execute(
            select(
                ReviewCase.purchase_id, _stored(ReviewCase.state), ReviewCase.state_since,
                ReviewCase.declared_on, ReviewCase.outcome_on,
            )
            .where(among(ReviewCase.purchase_id, ids, dialect))
            .order_by(ReviewCase.purchase_id, ReviewCase.id)  # as the index gives them
        )
    ).all():  # fmt: skip
        # the latest case of each purchase wins
        cases[purchase_id] = (state, state_since, declared_on, outcome_on)
    # Every signing, also after ``as_of``: its day is a day the figures change.
    signed_on: dict[int, date] = {}
    for purchase_id, day in (
        await connection.execute(
            select(Agreement.purchase_id, Agreement.signed_on).where(
                among(Agreement.purchase_id, ids, dialect),
                Agreement.state == AgreementState.SIGNED,
            )
        )
    ).all():
        if day is not None and (purchase_id not in signed_on or day < signed_on[purchase_id]):
            signed_on[purchase_id] = day
    vendor_names = dict(
        (
            await connection.execute(
                select(Vendor.id, Vendor.name).where(Vendor.id.in_({r[7] for r in records}))
            )
        ).all()
    )
    cii, periods = await cii_status(session, {r[8] for r in records})
    return FactRows(as_of, records, persons, verdicts, cases, signed_on, vendor_names, cii, periods)


# What a cold cache fill reads of a purchase instead of its facts (FactRows.fill_parts): a key
# that determines every fact but the amount, labels and persons' names (figures.NOT_IN_SHAPE),
# so that purchases of one key have facts of one shape (figures.shape), made of the values the
# facts are computed from, without computing them; the facts' purchase label, vendor and
# category; the purchase's own dates (LoadedFacts); its persons as (name, role).
FillParts = tuple[
    tuple[object, ...], str, str | None, str, tuple[date | None, ...], Sequence[tuple[str, Any]]
]


class FactRows:
    """The rows the facts of a batch of purchases on one day are built from, by purchase id
    (:func:`read_fact_rows`). :meth:`loaded` builds one purchase's facts; the exposure cache,
    which prices thousands of purchases of a few hundred shapes, reads the facts' parts
    instead (:meth:`fill_parts`) and builds the facts once per shape
    (procurement.exposure.cache)."""

    def __init__(
        self,
        as_of: date,
        records: list[tuple[Any, ...]],
        persons: dict[int, list[tuple[str, str]]],
        verdicts: dict[int, str],
        cases: dict[int, tuple[Any, ...]],
        signed_on: dict[int, date],
        vendor_names: dict[int, str],
        cii: dict[int, bool],
        periods: dict[int, tuple[CiiPeriod, ...]],
    ) -> None:
        self.as_of, self.records = as_of, records  # records: PURCHASE_COLUMNS values
        self.persons, self.verdicts, self.cases = persons, verdicts, cases
        self.signed_on, self.vendor_names = signed_on, vendor_names
        self.cii, self.periods = cii, periods
        # Purchases share a handful of (verdict, case) pairs; the mapping is pure. Keyed by
        # plain tuples, whose hash and equality are C-level (a CaseRecord's are Python calls).
        self._reviews: dict[tuple[object, tuple[Any, ...] | None], ReviewFacts] = {}

    def review(self, purchase_id: int) -> ReviewFacts:
        """The review facts of the purchase on the day (review_facts.review_facts)."""
        case = self.cases.get(purchase_id)
        verdict = self.verdicts.get(purchase_id)
        review = self._reviews.get((verdict, case))
        if review is None:
            member = None if verdict is None else Verdict[verdict]
            record = None if case is None else CaseRecord(CaseState[case[0]], *case[1:])
            review = self._reviews[verdict, case] = review_facts(member, record, self.as_of)
        return review

    def fill_parts(self, record: tuple[Any, ...]) -> FillParts:
        """What a cold cache fill reads of the record's purchase instead of its facts
        (:class:`FillParts`)."""
        (
            purchase_id, _title, _value, _currency, _tax, contract_date, in_use_date,
            vendor_id, operator_id, category, harm, investigated,
        ) = record  # fmt: skip
        as_of = self.as_of
        signed = self.signed_on.get(purchase_id)
        people = self.persons.get(purchase_id, ())
        # The review facts by identity (equal verdicts and cases give one object, kept by
        # self._reviews), not by their dataclass hash (a Python call per purchase).
        key = (
            contract_date, in_use_date if in_use_date and in_use_date <= as_of else None,
            id(self.review(purchase_id)), signed is not None and signed <= as_of, operator_id,
            category, harm, investigated if investigated and investigated <= as_of else None,
            tuple([role for _name, role in people]),
        )  # fmt: skip
        return (
            key, purchase_label(purchase_id), self.vendor_names.get(vendor_id),
            _CATEGORIES[category][0], self.own_dates(record), people,
        )  # fmt: skip

    def own_dates(self, record: tuple[Any, ...]) -> tuple[date | None, ...]:
        """Every date of the purchase's own that the day is compared with (LoadedFacts)."""
        purchase_id = record[0]
        case = self.cases.get(purchase_id)
        return (
            record[5], record[6], record[11], self.signed_on.get(purchase_id),
            *(case[1:] if case else ()),  # (state_since, declared_on, outcome_on)
            *(
                day
                for q in self.periods.get(record[8]) or ()
                for day in (q.identified_on, q.ended_on)
            ),
        )  # fmt: skip

    def loaded(self, record: tuple[Any, ...]) -> LoadedFacts:
        """The facts of the record's purchase on the day, with their note and own dates."""
        (
            purchase_id, title, value, currency, tax_included, contract_date, in_use_date,
            vendor_id, operator_id, category, harm, investigated,
        ) = record  # fmt: skip
        as_of = self.as_of
        review = self.review(purchase_id)
        signed = self.signed_on.get(purchase_id)
        people = self.persons.get(purchase_id, ())
        category_value, network_product = _CATEGORIES[category]
        # By position, in _FACT_FIELDS order (checked at import): twenty keywords cost as much
        # again as the object itself.
        facts = PurchaseExposureFacts(
            purchase_label(purchase_id),
            title,
            value,
            currency,
            tax_included,
            contract_date,
            in_use_date if in_use_date and in_use_date <= as_of else None,
            review.may_affect_national_security,
            review.review_passed,
            review.review_failed,
            signed is not None and signed <= as_of,  # agreement_signed
            None,  # agreement_act_date: the contract date
            tuple([ResponsiblePerson(name, _ROLE[PersonRole[role]]) for name, role in people]),
            self.vendor_names.get(vendor_id),
            category_value,
            _AMOUNT_SCOPE,
            self.cii.get(operator_id, True),  # operator_is_cii
            network_product,
            # None when the operator has no recorded period: its own flag holds for all time
            self.periods.get(operator_id),  # cii_periods
            harm,  # harm_to_life_or_finance
            investigated if investigated and investigated <= as_of else None,  # investigated_on
        )
        return LoadedFacts(facts, review.note, self.own_dates(record))


async def cii_status(
    session: AsyncSession, operator_ids: set[int]
) -> tuple[dict[int, bool], dict[int, tuple[CiiPeriod, ...]]]:
    """Each operator's own flag, and the identification periods of those that have any (in
    date order), in one statement."""
    stmt = (
        select(
            Operator.id,
            Operator.is_cii_operator,
            OperatorIdentification.identified_on,
            OperatorIdentification.ended_on,
            OperatorIdentification.assumed,
        )
        .outerjoin(OperatorIdentification, OperatorIdentification.operator_id == Operator.id)
        .where(Operator.id.in_(operator_ids))
        .order_by(Operator.id, OperatorIdentification.identified_on)
    )
    flags: dict[int, bool] = {}
    found: dict[int, list[CiiPeriod]] = {}
    for operator_id, flag, identified_on, ended_on, assumed in await session.execute(stmt):
        flags[operator_id] = flag
        if identified_on is not None:
            found.setdefault(operator_id, []).append(CiiPeriod(identified_on, ended_on, assumed))
    return flags, {k: tuple(v) for k, v in found.items()}


async def assess_outcomes(
    session: AsyncSession,
    purchases: Sequence[PurchaseRecord],
    as_of: date,
    variants: Sequence[bool],
) -> tuple[int, list[list[PurchaseExposure | Exception]]]:
    """(schedule version, per variant the exposure of each purchase or the error that stopped
    it), in a fixed number of queries whatever the number of purchases."""
    version, schedules = await current_schedules(session)
    rates = as_rates(await exchange_rates_unscoped(session))
    loaded = await load_facts(session, purchases, as_of)
    return version, assess_loaded(loaded, schedules, rates, as_of, variants)


def assess_loaded(
    loaded: Sequence[LoadedFacts],
    schedules: Sequence[PenaltySchedule],
    rates: Sequence[ExchangeRate],
    as_of: date,
    variants: Sequence[bool],
    *,
    explain: bool = True,
) -> list[list[PurchaseExposure | Exception]]:
    """Per variant the exposure of each purchase or the error that stopped it (pure);
    ``explain`` False: figures only (calculator.assess_purchase), for the cache's digests."""
    outcomes: list[list[PurchaseExposure | Exception]] = []
    for what_if in variants:
        results: list[PurchaseExposure | Exception] = []
        for fact, note in ((item.facts, item.note) for item in loaded):
            try:
                exposure = assess_purchase(
                    what_if_compliant(fact) if what_if else fact,
                    schedules,
                    rates,
                    assessed_on=as_of,
                    explain=explain,
                )
            # Kept as a value: a batch of single-purchase reads fails only that purchase (a
            # missing exchange rate, inconsistent facts), exactly as reading it alone would.
            except Exception as error:
                results.append(error)
                continue
            if note is not None and not what_if and explain:
                exposure = replace(exposure, notes=(*exposure.notes, note))
            results.append(exposure)
        outcomes.append(results)
    return outcomes


async def assess_purchases(
    session: AsyncSession,
    purchases: Sequence[Purchase],
    as_of: date,
    variants: Sequence[bool] = (False, True),
) -> list[ExposureRun]:
    """One run per ``what_if`` value in ``variants``, from facts read once.

    Raises MissingExchangeRate (an InputError naming the currency and date) when a foreign
    currency has no rate in force on a contract date: a whole run needs every purchase.
    """
    version, outcomes = await assess_outcomes(session, purchases, as_of, variants)
    ids = tuple(p.id for p in purchases)
    runs = []
    for what_if, results in zip(variants, outcomes, strict=True):
        exposures = []
        for result in results:
            if isinstance(result, Exception):
                raise result
            exposures.append(result)
        runs.append(ExposureRun(tuple(exposures), as_of, version, what_if, purchase_ids=ids))
    return runs
