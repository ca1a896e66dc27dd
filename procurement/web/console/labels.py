"""The names of the domain's vocabularies as a person reads them, in the page's language
(every one through gettext, so the Chinese catalog covers them)."""

from __future__ import annotations

from collections.abc import Callable

from procurement.enums import (
    AgreementState,
    CaseState,
    DeclarationMaterial,
    PurchaseCategory,
    PurchaseStatus,
    Verdict,
)
from procurement.errors import ErrorCode
from procurement.web.i18n import translations

Gettext = Callable[[str], str]


def categories(_: Gettext) -> dict[str, str]:
    return {
        PurchaseCategory.CORE_NETWORK_EQUIPMENT: _("Core network equipment"),
        PurchaseCategory.IMPORTANT_TELECOM_PRODUCT: _("Important telecom product"),
        PurchaseCategory.HIGH_PERFORMANCE_COMPUTER_SERVER: _("High-performance computer or server"),
        PurchaseCategory.MASS_STORAGE_DEVICE: _("Mass storage device"),
        PurchaseCategory.LARGE_DATABASE_APPLICATION_SOFTWARE: _(
            "Large database or application software"
        ),
        PurchaseCategory.NETWORK_SECURITY_EQUIPMENT: _("Network security equipment"),
        PurchaseCategory.CLOUD_COMPUTING_SERVICE: _("Cloud computing service"),
        PurchaseCategory.OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE: _(
            "Other important network product or service"
        ),
        PurchaseCategory.OUTSIDE_SCOPE: _("Network product outside Art. 21"),
        PurchaseCategory.NOT_NETWORK_PRODUCT: _("Not a network product"),
    }


def statuses(_: Gettext) -> dict[str, str]:
    return {PurchaseStatus.ACTIVE: _("Active"), PurchaseStatus.CANCELLED: _("Cancelled")}


def verdicts(_: Gettext) -> dict[str, str]:
    return {
        Verdict.YES: _("May affect national security"),
        Verdict.NO: _("Does not affect national security"),
        Verdict.NEEDS_ASSESSMENT: _("Needs assessment"),
    }


def case_states(_: Gettext) -> dict[str, str]:
    return {
        CaseState.PENDING_TRIAGE: _("Awaiting triage"),
        CaseState.NOT_REQUIRED: _("Review not required"),
        CaseState.DECLARATION_PREPARED: _("Declaration prepared"),
        CaseState.DECLARED: _("Declared"),
        CaseState.NO_REVIEW_NEEDED: _("Office: no review needed"),
        CaseState.UNDER_REVIEW: _("Under review"),
        CaseState.SPECIAL_REVIEW: _("Special review"),
        CaseState.PASSED: _("Passed"),
        CaseState.FAILED: _("Failed"),
        CaseState.WITHDRAWN: _("Withdrawn"),
    }


def agreement_states(_: Gettext) -> dict[str, str]:
    return {
        AgreementState.DRAFT: _("Draft"),
        AgreementState.SENT: _("Sent for signature"),
        AgreementState.SIGNED: _("Signed"),
        AgreementState.SUPERSEDED: _("Superseded"),
        AgreementState.TERMINATED: _("Terminated"),
    }


def factors(_: Gettext) -> dict[int | None, tuple[str, str]]:
    """Review Measures Art. 10 factors: the name, and what procurement can do about it."""
    return {
        None: (
            _("Applicability"),
            _("Check the category and the CII system: they decide whether the rules apply."),
        ),
        1: (
            _("Art. 10(1): illegal control, interference or destruction"),
            _("Ask the vendor how remote access and updates are controlled, and restrict them."),
        ),
        2: (
            _("Art. 10(2): supply interruption"),
            _("Record a second source or a continuity plan for the product."),
        ),
        3: (
            _("Art. 10(3): supply-chain security and transparency"),
            _("Ask the vendor for a complete SBOM and fixes for known vulnerabilities."),
        ),
        4: (
            _("Art. 10(4): the provider's compliance with Chinese law"),
            _("Check the vendor's restriction listings and ownership before signing."),
        ),
        5: (
            _("Art. 10(5): core, important or personal data"),
            _("Confirm the data handled, and put data terms in the Art. 20 agreement."),
        ),
        7: (
            _("Art. 10(7): other risks"),
            _("Read the evidence and decide with the security reviewers."),
        ),
    }


def severities(_: Gettext) -> dict[str, str]:
    return {
        "INFO": _("Information"),
        "LOW": _("Low"),
        "MEDIUM": _("Medium"),
        "HIGH": _("High"),
        "CRITICAL": _("Critical"),
    }


def quality_elements(_: Gettext) -> dict[str, tuple[str, str]]:
    """NTIA minimum elements (sbom/quality.py): the name, and what would raise the score."""
    return {
        "supplier": (_("Supplier"), _("Give each component its supplier name.")),
        "component_name": (_("Component name"), _("Give each component a name.")),
        "version": (_("Version"), _("Give each component its version.")),
        "unique_identifier": (
            _("Unique identifier"),
            _("Give each component a package URL (purl), a CPE or a SWID tag."),
        ),
        "dependencies": (
            _("Dependencies"),
            _("List each component in the dependency graph, even with no dependencies."),
        ),
        "author": (_("Author"), _("Name the document's author in metadata.authors.")),
        "timestamp": (_("Timestamp"), _("Add metadata.timestamp to the document.")),
    }


def case_events(_: Gettext) -> dict[str, str]:
    """The kinds of a review case's history entries (procurement/reviews/store.py)."""
    return {
        "OPENED": _("Case opened"),
        "TRANSITION": _("State changed"),
        "ASSIGNED": _("Assigned"),
        "COMMENT": _("Comment"),
        "MATERIALS_REQUESTED": _("Supplementary materials requested (clock stopped)"),
        "MATERIALS_RECEIVED": _("Supplementary materials received (clock runs again)"),
        "MARKED_COMPLEX": _("Marked complex"),
        "ATTACHMENT_ADDED": _("Attachment added"),
        "SCREENING_CHANGED": _("Screening changed"),
        "IN_USE_RECORDED": _("Put into use"),
    }


def system_actors(_: Gettext) -> dict[str, str]:
    """The names the service's own principals sign history and audit entries with."""
    return {
        "local command line": _("local command line"),
        "job worker": _("job worker"),
        "automatic screening": _("automatic screening"),
        "notification dispatcher": _("notification dispatcher"),
        "sign-in page": _("sign-in page"),
    }


def materials(_: Gettext) -> dict[str, str]:
    """The Art. 8 declaration materials."""
    return {
        DeclarationMaterial.DECLARATION_FORM: _("Declaration form"),
        DeclarationMaterial.IMPACT_ANALYSIS_REPORT: _(
            "Analysis of the impact on national security"
        ),
        DeclarationMaterial.PROCUREMENT_DOCUMENTS: _(
            "Procurement documents, agreements and the contract"
        ),
        DeclarationMaterial.OFFICE_REQUESTED_MATERIALS: _("Other materials the office requests"),
    }


def review_orders(_: Gettext) -> dict[str, str]:
    return {
        "DEADLINE": _("Deadline, earliest first"),
        "RISK": _("Risk score, highest first"),
        "VALUE": _("Value, highest first"),
    }


def review_steps(_: Gettext) -> dict[str, str]:
    """The buttons of a case's next steps, by the step's name in the form's URL."""
    return {
        "not-required": _("Decide: no declaration needed"),
        "prepare": _("Decide: prepare the declaration"),
        "attach": _("Attach"),
        "declare": _("Record the declaration as filed"),
        "no-review": _("Office: no review needed"),
        "start-review": _("Office: review started"),
        "complex": _("Office: marked complex (+15 working days)"),
        "special-review": _("Office: special review started"),
        "materials-requested": _("Office requested supplementary materials"),
        "materials-received": _("Supplementary materials delivered"),
        "passed": _("Outcome: passed"),
        "failed": _("Outcome: failed"),
        "comment": _("Add the comment"),
        "assign-me": _("Assign to me"),
        "assign": _("Assign"),
    }


def agreement_overrides(_: Gettext) -> dict[str, str]:
    """The facts an agreement's generation may override (the agreements domain's text facts),
    by their path, with what the form calls them."""
    return {
        "agreement_number": _("Agreement number"),
        "operator.name_zh": _("Operator's name in Chinese"),
        "operator.address": _("Operator's address"),
        "operator.representative": _("Operator's legal representative"),
        "vendor.name_zh": _("Provider's name in Chinese"),
        "vendor.registration_id": _("Provider's registration number"),
        "vendor.address": _("Provider's address"),
        "vendor.contact": _("Provider's security contact"),
        "purchase.title_zh": _("Purchase title in Chinese"),
        "purchase.description": _("What is supplied"),
        "purchase.cii_system": _("CII system it serves"),
        "purchase.update_channel": _("How updates are delivered"),
        "purchase.processing_purpose": _("Purpose of the entrusted processing"),
        "purchase.processing_method": _("Method of the entrusted processing"),
        "purchase.personal_information_categories": _("Categories of personal information"),
        "purchase.important_data_scope": _("Scope of important data"),
        "terms.governing_place": _("Place whose court hears disputes"),
    }


def check_results(_: Gettext) -> dict[str, str]:
    return {"MET": _("Met"), "NOT_MET": _("Not met")}


def obligation_states(_: Gettext) -> dict[str, str]:
    return {"OPEN": _("Not yet checked"), "MET": _("Met"), "NOT_MET": _("Not met")}


def error_codes(_: Gettext) -> dict[ErrorCode, str]:
    return {
        ErrorCode.REQUIRED: _("This is required."),
        ErrorCode.INVALID: _("This value is not valid."),
        ErrorCode.NOT_FOUND: _("Not found."),
        ErrorCode.DUPLICATE: _("This already exists."),
        ErrorCode.OUT_OF_RANGE: _("This value is out of range."),
        ErrorCode.INVALID_STATE: _("Not possible in the current state."),
        ErrorCode.TOO_LARGE: _("Too large."),
        ErrorCode.CONFLICT: _(
            "Someone changed this purchase after you opened it; nothing was saved. "
            "Reload the page to see their changes, then edit again."
        ),
    }


def all_labels(language: str) -> dict[str, object]:
    """The vocabularies a template may show, by name."""
    _ = translations(language).gettext
    return {
        "category": categories(_),
        "status": statuses(_),
        "verdict": verdicts(_),
        "case_state": case_states(_),
        "agreement_state": agreement_states(_),
        "severity": severities(_),
    }
