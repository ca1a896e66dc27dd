"""The loader for ``Purchase.exposure``: one batched assessment per day asked for, instead of one
per purchase (nine queries each)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from procurement.exposure import PurchaseExposure
from procurement.exposure.reads import exposures_by_purchase_ids
from schema.core.dataloaders import DataLoader

ExposureKey = tuple[int, date]  # (purchase id, as of)


class ExposureByPurchaseIdLoader(DataLoader[ExposureKey, PurchaseExposure | None]):
    """A purchase the read could not assess (a missing exchange rate, cancelled, a day before
    its contract) fails alone: its error, which says why, stands in for its result."""

    context_key = "exposure_by_purchase_id"

    async def batch_load(
        self, keys: Sequence[ExposureKey]
    ) -> Sequence[PurchaseExposure | Exception | None]:
        days: dict[date, list[int]] = {}
        for purchase_id, day in keys:
            days.setdefault(day, []).append(purchase_id)
        found: dict[ExposureKey, PurchaseExposure | Exception | None] = {}
        for day, ids in days.items():
            results = await self.ctx.call(exposures_by_purchase_ids, list(dict.fromkeys(ids)), day)
            found.update(((pid, day), result) for pid, result in results.items())
        return [found.get(key) for key in keys]
