"""Admin mutations on screening inputs: advisories, restriction lists, the rule set. Each one
rescreens the purchases concerned in the same transaction and says how many changed."""

from __future__ import annotations

from typing import Any

import graphene

from procurement.errors import InputError
from procurement.screening.actions import advisories, restrictions
from procurement.screening.actions import rules as screening
from schema.context import context_of
from schema.core.ids import parse_global_id
from schema.core.payload import errors_field, run, to_errors
from schema.screening.types import AdvisoryImport, RescreenSummary, RestrictionList, ScreeningRules


class ImportAdvisoriesInput(graphene.InputObjectType):
    file_name = graphene.String(required=True, description="The OSV file's name, kept as source")
    osv_json = graphene.String(
        required=True,
        description='One OSV record, a JSON array of records, or an OSV API {"vulns": [...]}',
    )


class ImportAdvisoriesPayload(graphene.ObjectType):
    advisory_import = graphene.Field(AdvisoryImport)
    errors = errors_field()


class ImportAdvisories(graphene.Mutation):
    """Import OSV advisories (admin); purchases whose SBOM components they affect are rescreened."""

    class Arguments:
        input = ImportAdvisoriesInput(required=True)

    Output = ImportAdvisoriesPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)
        return await run(
            ImportAdvisoriesPayload,
            "advisory_import",
            lambda: ctx.call(advisories.import_advisories, input["file_name"], input["osv_json"]),
        )


class RestrictionEntryInput(graphene.InputObjectType):
    supplier_name = graphene.String(required=True)
    reason = graphene.String(required=True)
    listed_on = graphene.Date(required=True)
    vendor_id = graphene.ID(description="The vendor this entry names, when it is registered")


class UpdateRestrictionListInput(graphene.InputObjectType):
    """Without ``id`` a new list is created; with it, the list's facts and all entries are
    replaced by the ones given."""

    id = graphene.ID()
    name = graphene.String(required=True)
    source = graphene.String(required=True, description="Where the list comes from")
    published_on = graphene.Date(required=True)
    entries = graphene.List(graphene.NonNull(RestrictionEntryInput), required=True)


class RestrictionListPayload(graphene.ObjectType):
    restriction_list = graphene.Field(RestrictionList)
    rescreen = graphene.Field(RescreenSummary)
    errors = errors_field()


class UpdateRestrictionList(graphene.Mutation):
    """Create or replace a restriction list (admin); every active purchase is rescreened."""

    class Arguments:
        input = UpdateRestrictionListInput(required=True)

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
            row, summary = await ctx.call(restrictions.update_restriction_list, data)
        except InputError as error:
            return RestrictionListPayload(errors=to_errors(error))
        return RestrictionListPayload(restriction_list=row, rescreen=summary, errors=[])


class UpdateScreeningRulesInput(graphene.InputObjectType):
    rules = graphene.String(
        required=True,
        description="Rule-set JSON: thresholds, severity_weights, enabled_rules; version "
        "optional (must then be the next one)",
    )


class ScreeningRulesPayload(graphene.ObjectType):
    screening_rules = graphene.Field(ScreeningRules)
    rescreen = graphene.Field(RescreenSummary)
    errors = errors_field()


class UpdateScreeningRules(graphene.Mutation):
    """Store a new rule-set version (admin) and rescreen every active purchase with it."""

    class Arguments:
        input = UpdateScreeningRulesInput(required=True)

    Output = ScreeningRulesPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)
        try:
            row, summary = await ctx.call(screening.update_screening_rules, input["rules"])
        except InputError as error:
            return ScreeningRulesPayload(errors=to_errors(error))
        return ScreeningRulesPayload(screening_rules=row, rescreen=summary, errors=[])


class ScreeningMutations(graphene.ObjectType):
    import_advisories = ImportAdvisories.Field()
    update_restriction_list = UpdateRestrictionList.Field()
    update_screening_rules = UpdateScreeningRules.Field()
