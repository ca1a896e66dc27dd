"""The console's pages for people, one module per area. Each handler reads through a domain's
``reads`` and acts through its ``actions`` (the same use cases as GraphQL and the CLI, so the
one permission choke point decides), then renders a template; none holds SQL or a rule."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from procurement.web.console.agreement_forms import (
    generate_agreement,
    record_check,
    record_sent,
    record_signed,
)
from procurement.web.console.agreement_templates import template_versions, upload_template
from procurement.web.console.agreements import agreements_page
from procurement.web.console.audit_log import audit_csv, audit_page
from procurement.web.console.components import component_search
from procurement.web.console.exposure import exposure_csv, exposure_page
from procurement.web.console.home import home
from procurement.web.console.purchase import purchase_page
from procurement.web.console.purchase_forms import (
    edit_purchase_form,
    new_purchase_form,
    register_purchase,
    update_purchase,
)
from procurement.web.console.register import purchase_register
from procurement.web.console.review_steps import take_step
from procurement.web.console.reviews import case_page, review_queue
from procurement.web.console.sboms import sbom_diff, sbom_page
from procurement.web.console.vendors import vendor_list
from procurement.web.signin_routes import signed_in


def console_pages() -> list[BaseRoute]:
    """Every page is behind the sign-in gate."""
    return [
        Route("/", signed_in(home), methods=["GET"]),
        Route("/console/purchases", signed_in(purchase_register), methods=["GET"]),
        Route("/console/purchases/new", signed_in(new_purchase_form), methods=["GET"]),
        Route("/console/purchases/new", signed_in(register_purchase), methods=["POST"]),
        Route("/console/purchases/{purchase_id}", signed_in(purchase_page), methods=["GET"]),
        Route(
            "/console/purchases/{purchase_id}/edit", signed_in(edit_purchase_form), methods=["GET"]
        ),
        Route(
            "/console/purchases/{purchase_id}/edit", signed_in(update_purchase), methods=["POST"]
        ),
        Route("/console/purchases/{purchase_id}/sboms", signed_in(sbom_page), methods=["GET"]),
        Route("/console/sboms/diff", signed_in(sbom_diff), methods=["GET"]),
        Route("/console/vendors", signed_in(vendor_list), methods=["GET"]),
        Route(
            "/console/purchases/{purchase_id}/agreements",
            signed_in(agreements_page),
            methods=["GET"],
        ),
        Route(
            "/console/purchases/{purchase_id}/agreements",
            signed_in(generate_agreement),
            methods=["POST"],
        ),
        Route("/console/agreements/{agreement_id}/sent", signed_in(record_sent), methods=["POST"]),
        Route(
            "/console/agreements/{agreement_id}/signed", signed_in(record_signed), methods=["POST"]
        ),
        Route(
            "/console/obligations/{obligation_id}/checks", signed_in(record_check), methods=["POST"]
        ),
        Route("/console/agreement-templates", signed_in(template_versions), methods=["GET"]),
        Route("/console/agreement-templates", signed_in(upload_template), methods=["POST"]),
        Route("/console/reviews", signed_in(review_queue), methods=["GET"]),
        Route("/console/reviews/{case_id}", signed_in(case_page), methods=["GET"]),
        Route("/console/reviews/{case_id}/{step}", signed_in(take_step), methods=["POST"]),
        Route("/console/exposure", signed_in(exposure_page), methods=["GET"]),
        Route("/console/exposure.csv", signed_in(exposure_csv), methods=["GET"]),
        Route("/console/components", signed_in(component_search), methods=["GET"]),
        Route("/console/audit", signed_in(audit_page), methods=["GET"]),
        Route("/console/audit.csv", signed_in(audit_csv), methods=["GET"]),
    ]
