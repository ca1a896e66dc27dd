"""Pure fine-exposure calculator for CII procurement (no database, no GraphQL).

Penalty figures are dated data (``seed_schedules.json``); see :mod:`.calculator` for the legal
interpretation and :mod:`.results` for what ``total`` and ``conditional_max`` mean.
"""

from procurement.exposure.calculator import amount_basis, assess_all, assess_purchase
from procurement.exposure.currency import (
    CNY,
    ExchangeRate,
    MissingExchangeRate,
    convert_to_cny,
    rate_in_force,
    validate_rates,
)
from procurement.exposure.facts import (
    PurchaseExposureFacts,
    ResponsiblePerson,
    Role,
    review_pending,
    validate_facts,
    what_if_compliant,
)
from procurement.exposure.loader import (
    load_seed_schedules,
    parse_schedules,
    validate_schedule,
    validate_schedules,
)
from procurement.exposure.money import Range, present, present_range, to_fen
from procurement.exposure.results import ExposureItem, PersonExposure, PurchaseExposure
from procurement.exposure.rules import NormExposure, is_lighter, pick_highest, resolve
from procurement.exposure.schedules import (
    ActKind,
    Condition,
    Consequence,
    EntityBasis,
    Law,
    PenaltySchedule,
    PersonScope,
    laws_in_force,
    schedule_in_force,
)
from procurement.exposure.summary import GroupBy, GroupTotal, Summary, summarise

__all__ = [
    "CNY",
    "ActKind",
    "Condition",
    "Consequence",
    "EntityBasis",
    "ExchangeRate",
    "ExposureItem",
    "GroupBy",
    "GroupTotal",
    "Law",
    "MissingExchangeRate",
    "NormExposure",
    "PenaltySchedule",
    "PersonExposure",
    "PersonScope",
    "PurchaseExposure",
    "PurchaseExposureFacts",
    "Range",
    "ResponsiblePerson",
    "Role",
    "Summary",
    "amount_basis",
    "assess_all",
    "assess_purchase",
    "convert_to_cny",
    "is_lighter",
    "laws_in_force",
    "load_seed_schedules",
    "parse_schedules",
    "pick_highest",
    "present",
    "present_range",
    "rate_in_force",
    "resolve",
    "review_pending",
    "schedule_in_force",
    "summarise",
    "to_fen",
    "validate_facts",
    "validate_rates",
    "validate_schedule",
    "validate_schedules",
    "what_if_compliant",
]
