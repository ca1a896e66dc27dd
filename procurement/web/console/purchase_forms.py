"""Registering and editing a purchase through forms: the registry's actions decide (permission,
validation, audit), and each error they report is shown next to its field. An edit carries the
version it was made from, so a stale edit is refused with a conflict message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from procurement.enums import PersonRole
from procurement.errors import ErrorCode, InputError, PermissionDenied
from procurement.permissions import Action, can
from procurement.registry import reads as registry_reads
from procurement.registry.actions import purchases as purchase_actions
from procurement.web.auth import csrf_presented_ok
from procurement.web.console.common import (
    field_errors,
    gettext,
    not_allowed,
    not_found,
    number_param,
    page,
    person,
)
from procurement.web.signin_routes import refused

MAX_PERSONS = 20
FLAGS = (
    "taxIncluded", "handlesCoreData", "handlesImportantData", "handlesPersonalInformation",
    "vendorRemoteMaintenance", "vendorUpdateChannel", "singleSource",
)  # fmt: skip
# The domain's field paths (validation.camel) and the form's field names.
FIELDS = {
    "title": "title", "description": "description", "category": "category",
    "contractValue.amount": "amount", "contractValue.currency": "currency",
    "contractDate": "contractDate", "ciiSystemId": "ciiSystemId", "vendorId": "vendorId",
    "operatorId": "operatorId", "personalInformationSubjects": "personalInformationSubjects",
    "certificationReference": "certificationReference", "persons": "persons.0.name",
    **{flag: flag for flag in FLAGS},
}  # fmt: skip


def _blank(value: Any) -> str | None:
    text = str(value or "").strip()
    return text or None


def _digits(text: str) -> bool:
    """Plain ASCII digits only: "²" and "٣" pass str.isdigit, but int() refuses the first."""
    return text.isascii() and text.isdigit()


def _count(value: Any) -> int | str | None:
    """A whole number, else the text as typed (the action refuses it next to its field)."""
    text = _blank(value)
    return int(text) if text is not None and _digits(text) else text


def _person_row(key: str) -> int:
    """The row of a "persons.<row>.<part>" field, else 0."""
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "persons" and _digits(parts[1]):
        return min(int(parts[1]), MAX_PERSONS)
    return 0


def _persons(form: FormData) -> tuple[list[purchase_actions.PersonInput], dict[str, str]]:
    """The filled rows of the persons table, and where each one's errors go on the form."""
    persons: list[purchase_actions.PersonInput] = []
    where: dict[str, str] = {}
    for row in range(MAX_PERSONS):
        name, position = form.get(f"persons.{row}.name"), form.get(f"persons.{row}.position")
        if _blank(name) is None and _blank(position) is None and row > 0:
            continue
        index = len(persons)
        role = str(form.get(f"persons.{row}.role") or PersonRole.OTHER_RESPONSIBLE)
        persons.append(purchase_actions.PersonInput(str(name or ""), role, _blank(position)))
        for part in ("name", "role", "position"):
            where[f"persons.{index}.{part}"] = f"persons.{row}.{part}"
    return persons, where


def _changes(form: FormData) -> dict[str, Any]:
    """The form's values in the action's terms; the action validates them."""
    return {
        "title": str(form.get("title") or ""),
        "description": _blank(form.get("description")),
        "category": _blank(form.get("category")),
        "contract_value": _blank(form.get("amount")),
        "currency": str(form.get("currency") or ""),
        "contract_date": _blank(form.get("contractDate")),
        "cii_system_id": number_param(_blank(form.get("ciiSystemId"))),
        "personal_information_subjects": _count(form.get("personalInformationSubjects")),
        "certification_reference": _blank(form.get("certificationReference")),
        "tax_included": form.get("taxIncluded") == "on",
        "handles_core_data": form.get("handlesCoreData") == "on",
        "handles_important_data": form.get("handlesImportantData") == "on",
        "handles_personal_information": form.get("handlesPersonalInformation") == "on",
        "vendor_remote_maintenance": form.get("vendorRemoteMaintenance") == "on",
        "vendor_update_channel": form.get("vendorUpdateChannel") == "on",
        "single_source": form.get("singleSource") == "on",
    }


async def _form_page(
    request: Request,
    values: Mapping[str, str],
    *,
    purchase_id: int | None = None,
    errors: Mapping[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> Response:
    principal = person(request)
    async with request.app.state.sessions() as session:
        vendors = await registry_reads.list_vendors(session, principal, None, 500)
        systems = await registry_reads.cii_systems_for(session, principal)
        operators = (
            (await registry_reads.list_operators(session, principal, None, 500)).items
            if principal.operator_id is None and purchase_id is None
            else []
        )
    _ = gettext(request)
    rows = max((_person_row(k) for k in values), default=0)
    return page(
        request,
        "console/purchase_form.html",
        {
            "form": values, "errors": errors or {}, "general": general or [],
            "purchase_id": purchase_id, "person_rows": range(min(rows + 2, MAX_PERSONS)),
            "vendor_options": [(v.id, v.name) for v in vendors.items],
            "system_options": [(s.id, s.name) for s in systems],
            "operator_options": [(o.id, o.name) for o in operators],
            "person_role": {PersonRole.PERSON_IN_CHARGE: _("Person in charge")},
        },
        status_code=status,
    )  # fmt: skip


async def new_purchase_form(request: Request) -> Response:
    if not can(person(request), Action.MANAGE_PURCHASES):
        return not_allowed(request)
    start = {"currency": "CNY", "taxIncluded": "on", "persons.0.role": "PERSON_IN_CHARGE"}
    return await _form_page(request, start)


async def register_purchase(request: Request) -> Response:
    form = await request.form()
    if not csrf_presented_ok(request, str(form.get("csrf") or "")):
        return refused(request)
    values = {k: str(v) for k, v in form.items() if k != "csrf"}
    persons, where = _persons(form)
    changes = _changes(form)
    data = purchase_actions.PurchaseInput(
        vendor_id=number_param(_blank(form.get("vendorId"))) or 0,
        operator_id=number_param(_blank(form.get("operatorId"))),
        persons=persons,
        **changes,
    )
    async with request.app.state.sessions() as session:
        try:
            purchase = await purchase_actions.register_purchase(session, person(request), data)
        except PermissionDenied:
            return not_allowed(request)
        except InputError as invalid:
            placed, general = field_errors(request, invalid.errors, FIELDS | where)
            return await _form_page(request, values, errors=placed, general=general, status=422)
    return RedirectResponse(f"/console/purchases/{purchase.id}", status_code=303)


async def edit_purchase_form(request: Request) -> Response:
    principal = person(request)
    purchase_id = number_param(request.path_params["purchase_id"])
    if purchase_id is None:
        return not_found(request)
    async with request.app.state.sessions() as session:
        found = await registry_reads.purchases_by_ids(session, principal, [purchase_id])
        purchase = found.get(purchase_id)
        if purchase is None:
            return not_found(request)
        if not can(principal, Action.MANAGE_PURCHASES):
            return not_allowed(request)
        people = await registry_reads.persons_by_purchase_ids(session, principal, [purchase_id])
    values = {
        "title": purchase.title, "description": purchase.description or "",
        "category": purchase.category.value, "amount": str(purchase.contract_value),
        "currency": purchase.currency, "contractDate": purchase.contract_date.isoformat(),
        "ciiSystemId": str(purchase.cii_system_id or ""),
        "personalInformationSubjects": str(purchase.personal_information_subjects or ""),
        "certificationReference": purchase.certification_reference or "",
        "version": str(purchase.version),
    }  # fmt: skip
    flags = {
        "taxIncluded": purchase.tax_included, "handlesCoreData": purchase.handles_core_data,
        "handlesImportantData": purchase.handles_important_data,
        "handlesPersonalInformation": purchase.handles_personal_information,
        "vendorRemoteMaintenance": purchase.vendor_remote_maintenance,
        "vendorUpdateChannel": purchase.vendor_update_channel,
        "singleSource": purchase.single_source,
    }  # fmt: skip
    values |= {flag: "on" for flag, on in flags.items() if on}
    for row, p in enumerate(people.get(purchase_id, [])):
        values |= {
            f"persons.{row}.name": p.name,
            f"persons.{row}.role": p.role.value,
            f"persons.{row}.position": p.position or "",
        }
    return await _form_page(request, values, purchase_id=purchase_id)


async def update_purchase(request: Request) -> Response:
    purchase_id = number_param(request.path_params["purchase_id"])
    if purchase_id is None:
        return not_found(request)
    form = await request.form()
    if not csrf_presented_ok(request, str(form.get("csrf") or "")):
        return refused(request)
    values = {k: str(v) for k, v in form.items() if k != "csrf"}
    persons, where = _persons(form)
    changes = _changes(form) | {"persons": persons}
    version = number_param(_blank(form.get("version")))
    async with request.app.state.sessions() as session:
        try:
            await purchase_actions.update_purchase(
                session, person(request), purchase_id, changes, expected_version=version
            )
        except PermissionDenied:
            return not_allowed(request)
        except InputError as invalid:
            if any(e.field == "id" for e in invalid.errors):  # not theirs, or gone
                return not_found(request)
            placed, general = field_errors(request, invalid.errors, FIELDS | where)
            conflict = any(e.code is ErrorCode.CONFLICT for e in invalid.errors)
            return await _form_page(
                request, values, purchase_id=purchase_id, errors=placed, general=general,
                status=409 if conflict else 422,
            )  # fmt: skip
    return RedirectResponse(f"/console/purchases/{purchase_id}", status_code=303)
