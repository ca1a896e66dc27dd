"""Builders for screening facts: a clean, in-scope, domestic purchase that screens NO, which each
test changes in the one place it is about."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from procurement.screening.advisories import Advisory, parse_osv
from procurement.screening.facts import (
    ComponentRef,
    PurchaseFacts,
    SbomFacts,
    ScreeningFacts,
    VendorFacts,
)
from procurement.screening.model import Category, Ownership

PURCHASE = PurchaseFacts(
    id="P-1",
    category=Category.CORE_NETWORK_EQUIPMENT,
    value_cny=Decimal("2500000.00"),
    handles_core_data=False,
    handles_important_data=False,
    handles_personal_information=False,
    personal_information_subjects=None,
    vendor_remote_maintenance=False,
    vendor_update_channel=False,
    single_source=False,
    business_critical_cii_system=True,
    operator_is_cii=True,
    name="Core routers, Shanghai DC",
    certification_reference="Network-equipment safety certificate 2025-0417",
)
VENDOR = VendorFacts(
    id="V-1",
    name="Huadong Networks Co., Ltd.",
    country="CN",
    ownership=Ownership.PRIVATE,
    ultimate_parent_country="CN",
    ultimate_parent_name="Huadong Group",
)
SBOM = SbomFacts(
    label="hd-router-fw 4.2",
    quality_score=85,
    component_count=120,
    components_without_supplier=0,
    component_suppliers=("Huadong Networks", "Apache Software Foundation"),
    components=(
        ComponentRef.from_purl(
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1", "Apache Software Foundation"
        ),
        ComponentRef.from_purl("pkg:npm/lodash@4.17.21", "Huadong Networks"),
    ),
)

FactsFactory = Callable[..., ScreeningFacts]


@pytest.fixture
def make_facts() -> FactsFactory:
    """``make_facts(purchase={...}, vendor={...}, sbom={...}, **ScreeningFacts fields)``."""

    def build(
        purchase: dict[str, Any] | None = None,
        vendor: dict[str, Any] | None = None,
        sbom: dict[str, Any] | None = None,
        **facts: Any,
    ) -> ScreeningFacts:
        facts.setdefault("sboms", (dataclasses.replace(SBOM, **(sbom or {})),))
        return ScreeningFacts(
            purchase=dataclasses.replace(PURCHASE, **(purchase or {})),
            vendor=dataclasses.replace(VENDOR, **(vendor or {})),
            **facts,
        )

    return build


@pytest.fixture
def osv() -> Callable[[str], Advisory]:
    def load(osv_id: str) -> Advisory:
        return parse_osv((Path(__file__).parent / "osv" / f"{osv_id}.json").read_bytes())

    return load
