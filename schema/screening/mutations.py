"""Admin mutations on screening inputs: advisories, restriction lists, the rule set. Each one
enqueues, in its transaction, the job that rescreens the purchases concerned, and answers at once
with it (``job { state progress outcome }`` reports how many changed)."""

from __future__ import annotations

from typing import Any

import graphene

from procurement.errors import InputError
from procurement.screening.actions import advisories, restrictions
from procurement.screening.actions import rules as screening
from schema.context import context_of
from schema.core.ids import parse_global_id
from schema.core.payload import errors_field, to_errors
from schema.jobs.types import Job
from schema.screening.types import AdvisoryImport, RescreenSummary, RestrictionList, ScreeningRules


class ImportAdvisoriesInput(graphene.InputObjectType):
    """OSV advisories to import"""

    file_name = graphene.String(required=True, description="The OSV file's name, kept as source")
    osv_json = graphene.String(
        required=True,
        description='One OSV record, a JSON array of records, or an OSV API {"vulns": [...]}',
    )


class ImportAdvisoriesPayload(graphene.ObjectType):
    """The result of importAdvisories"""

    advisory_import = graphene.Field(
        AdvisoryImport, description="What the import did; null when errors is not empty"
    )
    job = graphene.Field(Job, description="Re-matches and rescreens; none when no advisory changed")
    errors = errors_field()


class ImportAdvisories(graphene.Mutation):
    """Import OSV advisories (admin); a job rescreens the purchases whose components they affect."""

    class Arguments:
        input = ImportAdvisoriesInput(required=True, description="The OSV advisories")

    Output = ImportAdvisoriesPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)
        try:
            result = await ctx.call(
                advisories.import_advisories, input["file_name"], input["osv_json"]
            )
        except InputError as error:
            return ImportAdvisoriesPayload(errors=to_errors(error))
        return ImportAdvisoriesPayload(advisory_import=result, job=result.job, errors=[])


RESCREEN_DEPRECATION = "Rescreening runs as a job: read job { outcome }"


class RestrictionEntryInput(graphene.InputObjectType):
    """A supplier named on the list"""

    supplier_name = graphene.String(required=True, description="The supplier's name as listed")
    reason = graphene.String(required=True, description="Why it is listed")
    listed_on = graphene.Date(required=True, description="The day it was listed")
    vendor_id = graphene.ID(description="The vendor this entry names, when it is registered")


class UpdateRestrictionListInput(graphene.InputObjectType):
    """Without ``id`` a new list is created; with it, the list's facts and all entries are
    replaced by the ones given."""

    id = graphene.ID(description="The RestrictionList's global ID; left out: a new list")
    name = graphene.String(required=True, description="The list's name")
    source = graphene.String(required=True, description="Where the list comes from")
    published_on = graphene.Date(required=True, description="The list's publication day")
    entries = graphene.List(
        graphene.NonNull(RestrictionEntryInput),
        required=True,
        description="All its entries (they replace the old ones)",
    )


class RestrictionListPayload(graphene.ObjectType):
    """The result of updateRestrictionList"""

    restriction_list = graphene.Field(
        RestrictionList, description="The stored list; null when errors is not empty"
    )
    rescreen = graphene.Field(
        RescreenSummary,
        deprecation_reason=RESCREEN_DEPRECATION,
        description="Superseded: rescreening runs as a job",
    )
    job = graphene.Field(Job, description="Rescreens every active purchase")
    errors = errors_field()


class UpdateRestrictionList(graphene.Mutation):
    """Create or replace a restriction list (admin); a job rescreens every active purchase."""

    class Arguments:
        input = UpdateRestrictionListInput(
            required=True, description="The list and all its entries"
        )

    Output = RestrictionListPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)
        try:
            entries = [
                restrictions.RestrictionEntryInput(
                    supplier_name=e["supplier_name"],
                    reason=e["reason"],
                    listed_on=e["listed_on"],
                    vendor_id=parse_global_id(e["vendor_id"], "Vendor", f"entries.{i}.vendorId")
                    if e.get("vendor_id") is not None
                    else None,
                )
                for i, e in enumerate(input["entries"])
            ]
            data = restrictions.RestrictionListInput(
                id=parse_global_id(input["id"], "RestrictionList", "id")
                if input.get("id") is not None
                else None,
                name=input["name"],
                source=input["source"],
                published_on=input["published_on"],
                entries=entries,
            )
            row, job = await ctx.call(restrictions.update_restriction_list, data)
        except InputError as error:
            return RestrictionListPayload(errors=to_errors(error))
        return RestrictionListPayload(restriction_list=row, job=job, errors=[])


class UpdateScreeningRulesInput(graphene.InputObjectType):
    """A new screening rule set"""

    rules = graphene.String(
        required=True,
        description="Rule-set JSON: thresholds, severity_weights, enabled_rules; version "
        "optional (must then be the next one)",
    )


class ScreeningRulesPayload(graphene.ObjectType):
    """The result of updateScreeningRules"""

    screening_rules = graphene.Field(
        ScreeningRules, description="The stored version; null when errors is not empty"
    )
    rescreen = graphene.Field(
        RescreenSummary,
        deprecation_reason=RESCREEN_DEPRECATION,
        description="Superseded: rescreening runs as a job",
    )
    job = graphene.Field(Job, description="Rescreens every active purchase with the new rules")
    errors = errors_field()


class UpdateScreeningRules(graphene.Mutation):
    """Store a new rule-set version (admin); a job rescreens every active purchase with it."""

    class Arguments:
        input = UpdateScreeningRulesInput(required=True, description="The new rule set")

    Output = ScreeningRulesPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)
        try:
            row, job = await ctx.call(screening.update_screening_rules, input["rules"])
        except InputError as error:
            return ScreeningRulesPayload(errors=to_errors(error))
        return ScreeningRulesPayload(screening_rules=row, job=job, errors=[])


class ScreeningMutations(graphene.ObjectType):
    import_advisories = ImportAdvisories.Field()
    update_restriction_list = UpdateRestrictionList.Field()
    update_screening_rules = UpdateScreeningRules.Field()
