"""Declaration materials checklist (Cybersecurity Review Measures Art. 8), kept as data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from procurement.enums import DeclarationMaterial as DeclarationMaterial  # stored by the models


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    material: DeclarationMaterial
    description: str
    basis: str
    # Needed before the declaration can be filed. The office's extra requests come later, so
    # they gate nothing here; their waiting time pauses the clock instead (Art. 15).
    required_for_filing: bool


DECLARATION_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        DeclarationMaterial.DECLARATION_FORM,
        "Declaration form (申报书)",
        "Review Measures Art. 8(1)",
        required_for_filing=True,
    ),
    ChecklistItem(
        DeclarationMaterial.IMPACT_ANALYSIS_REPORT,
        "Analysis report on the impact or potential impact on national security "
        "(关于影响或者可能影响国家安全的分析报告)",
        "Review Measures Art. 8(2)",
        required_for_filing=True,
    ),
    ChecklistItem(
        DeclarationMaterial.PROCUREMENT_DOCUMENTS,
        "Procurement documents, agreements and the contract to be signed "
        "(采购文件、协议、拟签订的合同等); they must contain the supplier's Art. 6 commitments",
        "Review Measures Arts. 8(3), 6",
        required_for_filing=True,
    ),
    ChecklistItem(
        DeclarationMaterial.OFFICE_REQUESTED_MATERIALS,
        "Other materials the Cybersecurity Review Office requests (网络安全审查工作需要的其他材料)",
        "Review Measures Art. 8(4)",
        required_for_filing=False,
    ),
)


def missing_declaration_materials(
    present: Iterable[DeclarationMaterial], *, office_requested: bool = False
) -> tuple[ChecklistItem, ...]:
    """Checklist items not yet present, in checklist order.

    Without ``office_requested`` only the items required for filing are considered; with it, the
    office's additional request is outstanding too.
    """
    have = frozenset(present)
    return tuple(
        item
        for item in DECLARATION_CHECKLIST
        if item.material not in have and (item.required_for_filing or office_requested)
    )
