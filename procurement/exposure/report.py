"""The exposure report for legal teams (``procurement exposure report``): one row per counted or
shown item of every purchase, so the totals can be reconciled by hand from the rows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import orjson

from procurement.exposure import PurchaseExposure, to_fen
from procurement.exposure.results import ExposureRun

ZERO = Decimal(0)
CSV_COLUMNS = (
    "purchase_id", "title", "vendor", "category", "amount_cny", "law", "article", "act_kind",
    "act_date", "condition", "counted", "entity_min", "entity_max", "persons_min", "persons_max",
    "persons", "basis", "notes",
)  # fmt: skip


def _rows(exposure: PurchaseExposure) -> list[dict[str, Any]]:
    rows = []
    for item in exposure.items:
        persons_min = sum((p.range.min for p in item.persons), start=ZERO)
        persons_max = sum((p.range.max for p in item.persons), start=ZERO)
        rows.append(
            {
                "purchase_id": exposure.purchase_id,
                "title": exposure.title,
                "vendor": exposure.vendor or "",
                "category": exposure.category or "",
                "amount_cny": str(to_fen(exposure.amount_cny)),
                "law": item.law.value,
                "article": item.article,
                "act_kind": item.act_kind.value,
                "act_date": item.act_date.isoformat(),
                "condition": item.condition.value,
                "counted": item.counted,
                "entity_min": str(to_fen(item.entity.min)),
                "entity_max": str(to_fen(item.entity.max)),
                "persons_min": str(to_fen(persons_min)),
                "persons_max": str(to_fen(persons_max)),
                "persons": "; ".join(f"{p.name} ({p.role.value})" for p in item.persons),
                "basis": item.basis,
                "notes": " | ".join(item.notes),
            }
        )
    return rows


def as_csv(run: ExposureRun) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for exposure in run.exposures:
        for row in _rows(exposure):
            writer.writerow(row)
    return out.getvalue()


def as_json(run: ExposureRun) -> bytes:
    document = {
        "as_of": run.as_of.isoformat(),
        "what_if": run.what_if,
        "schedule_version": run.schedule_version,
        "total": {
            "min": str(to_fen(sum((e.total.min for e in run.exposures), start=ZERO))),
            "max": str(to_fen(sum((e.total.max for e in run.exposures), start=ZERO))),
        },
        "conditional_max": str(to_fen(sum((e.conditional_max for e in run.exposures), start=ZERO))),
        "purchases": [
            {
                "purchase_id": e.purchase_id,
                "title": e.title,
                "vendor": e.vendor,
                "category": e.category,
                "amount_cny": str(to_fen(e.amount_cny)),
                "total": {"min": str(to_fen(e.total.min)), "max": str(to_fen(e.total.max))},
                "conditional_max": str(to_fen(e.conditional_max)),
                "items": _rows(e),
                "notes": list(e.notes),
            }
            for e in run.exposures
        ],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2)
