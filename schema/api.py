"""The assembled GraphQL schema. New domains add their Query/Mutation mixins here, first in the
bases: their fields then come last in the SDL snapshot, so it only grows at the end."""

from __future__ import annotations

import graphene

from schema.accounts.mutations import AccountListQueries, AccountMutations
from schema.accounts.types import AccountQueries
from schema.agreements.mutations import AgreementMutations
from schema.agreements.queries import AgreementQueries
from schema.audit.queries import AuditQueries
from schema.core.node import node_field
from schema.exposure.mutations import ExposureMutations
from schema.exposure.queries import ExposureQueries
from schema.jobs.types import JobQueries
from schema.notifications.mutations import NotificationMutations
from schema.notifications.queries import NotificationQueries
from schema.operators.mutations import OperatorMutations
from schema.operators.queries import OperatorQueries
from schema.operators.types import CiiSystem
from schema.purchases.mutations import PurchaseMutations
from schema.purchases.queries import PurchaseQueries
from schema.reviews.calendars import CalendarMutations, CalendarQueries
from schema.reviews.mutations import ReviewMutations
from schema.reviews.queries import ReviewQueries
from schema.sboms.mutations import SbomMutations
from schema.sboms.queries import SbomQueries
from schema.screening.mutations import ScreeningMutations
from schema.screening.queries import ScreeningQueries
from schema.screening.types import RestrictionList
from schema.vendors.mutations import VendorMutations
from schema.vendors.queries import VendorQueries


class Query(
    JobQueries,
    CalendarQueries,
    AccountListQueries,
    NotificationQueries,
    AgreementQueries,
    AccountQueries,
    OperatorQueries,
    VendorQueries,
    PurchaseQueries,
    SbomQueries,
    ReviewQueries,
    ScreeningQueries,
    AuditQueries,
    ExposureQueries,
    graphene.ObjectType,
):
    """Every read of the API."""

    node = node_field()


class Mutation(
    CalendarMutations,
    AccountMutations,
    NotificationMutations,
    AgreementMutations,
    OperatorMutations,
    VendorMutations,
    PurchaseMutations,
    SbomMutations,
    ReviewMutations,
    ScreeningMutations,
    ExposureMutations,
    graphene.ObjectType,
):
    """Every change the API offers."""


schema = graphene.Schema(query=Query, mutation=Mutation, types=[CiiSystem, RestrictionList])
