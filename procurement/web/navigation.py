"""The console's main navigation: only for a signed-in person, and only the links their role
may use (the permission choke point decides, so a link is never shown for a page that would
refuse them)."""

from __future__ import annotations

from dataclasses import dataclass

from procurement.enums import Role
from procurement.permissions import Action, Principal, can
from procurement.web.i18n import translations


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    label: str


def navigation(person: Principal | None, language: str) -> list[Link]:
    if person is None:
        return []
    _ = translations(language).gettext
    links = [Link("/", _("Home"))]
    if person.role is Role.VENDOR:
        links.append(Link("/console/purchases", _("My purchases")))
    else:
        links.append(Link("/console/purchases", _("Purchases")))
    if can(person, Action.MANAGE_PURCHASES):
        links.append(Link("/console/purchases/new", _("Register a purchase")))
    if can(person, Action.READ_REVIEWS):
        links.append(Link("/console/reviews", _("Reviews")))
    if can(person, Action.MANAGE_AGREEMENT_TEMPLATES):
        links.append(Link("/console/agreement-templates", _("Agreement templates")))
    if can(person, Action.READ_SCREENING):  # vendors and their restriction listings
        links.append(Link("/console/vendors", _("Vendors")))
    if can(person, Action.MANAGE_SCREENING):
        links.append(Link("/console/advisories/import", _("Import OSV advisories")))
    if can(person, Action.READ_EXPOSURE):
        links.append(Link("/console/exposure", _("Exposure")))
    links.append(Link("/console/components", _("Component search")))
    if can(person, Action.READ_AUDIT):
        links.append(Link("/console/audit", _("Audit log")))
    links.append(Link("/explorer", _("API explorer")))
    links.append(Link("/explorer/reference", _("API reference")))
    return links
