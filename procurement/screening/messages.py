"""The English templates of every screening finding's explanation, by stable message id (pure).

A finding stores its id and parameters (``Finding.message``) beside the English text; the console
renders them through its Chinese catalog, into which Babel extracts the templates marked ``N_``.
Never reuse an id for a sentence that says something else: stored findings point at it. Changing
a template's wording is fine; its Chinese must then be translated again (the catalog test fails
until it is).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping

from procurement.enums import PurchaseCategory as C
from procurement.errors import ErrorCode, FieldError
from procurement.input_messages import TEMPLATES as INPUT
from procurement.texts import N_, Text

TEMPLATES: Mapping[str, str] = {
    # applicability (engine.py): is the purchase in the review's scope at all
    "screening.applicability.cii": N_(
        "The operator is an identified CII operator, so the Art. 19 review duty applies to "
        "purchases that may affect national security."
    ),
    "screening.applicability.not_cii": N_(
        "The operator is not identified as a CII operator: the Art. 19 review duty does not "
        "apply. Re-screen if the protection department identifies it."
    ),
    "screening.applicability.cii_unknown": N_(
        "Unknown whether the operator is an identified CII operator "
        "(purchase.operator_is_cii). Record it: the review duty depends on it."
    ),
    "screening.applicability.not_network": N_(
        "Purchase {purchase} is classified {code} ({category}): neither the Art. 19 review nor "
        "the Art. 20 security confidentiality agreement concerns it, so no risk rule ran and no "
        "SBOM is asked for. Reclassify it if it is, or contains, a network product or service."
    ),
    "screening.applicability.outside_scope": N_(
        "Purchase {purchase} is classified {code} ({category}): the review covers only the "
        "Art. 21 categories. If it has an important impact on CII, network or data security, "
        "reclassify it as OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE."
    ),
    "screening.applicability.in_scope": N_(
        "Purchase {purchase} is {category} ({code}), a network product or service under "
        "Review Measures Art. 21."
    ),
    # lists of names in explanations
    "screening.list.more": N_("{items} and {more} more"),
    # a fact the reviewer should record (rules/common.py: missing_fact)
    "screening.missing": N_("Unknown: {question} ({path}). Record it: {why}"),
    # REMOTE_ACCESS
    "screening.remote_access.maintenance": N_(
        "Purchase {purchase}: the vendor maintains the product remotely, i.e. has a path into "
        "the CII system that could be used to control, interfere with or disable it. Require "
        "on-site or operator-controlled, logged and time-limited access, and the Art. 6 "
        "commitment not to control or manipulate user equipment illegally."
    ),
    "screening.remote_access.update_channel": N_(
        "Purchase {purchase}: the vendor delivers updates or firmware into the CII system "
        "through its own channel, so code the operator has not vetted can reach the system. "
        "Require updates to pass the operator's verification (signatures, staging) before "
        "installation."
    ),
    "screening.remote_access.q_maintenance": N_(
        "whether the vendor maintains or accesses the product remotely"
    ),
    "screening.remote_access.q_update_channel": N_(
        "whether the vendor pushes updates into the CII system"
    ),
    "screening.remote_access.why": N_(
        "vendor access into the CII system is a control risk (Art. 10(1))."
    ),
    # DATA_EXPOSURE
    "screening.data.core": N_(
        "Purchase {purchase} processes core data (核心数据); its theft, leak or transfer abroad "
        "would harm national security. "
        "Check where the data is stored and who can reach it, and require it to stay in China "
        "with no vendor access without the operator's approval."
    ),
    "screening.data.important": N_(
        "Purchase {purchase} processes important data (重要数据). "
        "Check where the data is stored and who can reach it, and require it to stay in China "
        "with no vendor access without the operator's approval."
    ),
    "screening.data.personal_above": N_(
        "Purchase {purchase} processes personal information of {subjects} people, above the "
        "{threshold} threshold for a large amount (rule set v{version}). "
        "Check where the data is stored and who can reach it, and require it to stay in China "
        "with no vendor access without the operator's approval."
    ),
    "screening.data.personal_not_above": N_(
        "Purchase {purchase} processes personal information of {subjects} people, not above "
        "the {threshold} threshold for a large amount (rule set v{version}). Keep the count up "
        "to date."
    ),
    "screening.data.q_core": N_("whether core data is processed"),
    "screening.data.q_important": N_("whether important data is processed"),
    "screening.data.q_personal": N_("whether personal information is processed"),
    "screening.data.q_subjects": N_("how many people's personal information is processed"),
    "screening.data.why": N_(
        "core, important and large amounts of personal data are an Art. 10(5) risk."
    ),
    "screening.data.why_subjects": N_("above {threshold} it counts as a large amount."),
    # SUPPLY_CONTINUITY
    "screening.continuity.critical": N_(
        "Purchase {purchase} is single-source (no alternative supplier) for a business-critical "
        "CII system: an interruption of supply or support would stop the business. Require a "
        "continuity and exit plan, spare stock or a second qualified source."
    ),
    "screening.continuity.unknown_critical": N_(
        "Purchase {purchase} is single-source, but whether the CII system it serves is "
        "business-critical is not recorded (purchase.business_critical_cii_system). Record it; "
        "if critical, this is a high continuity risk."
    ),
    "screening.continuity.not_critical": N_(
        "Purchase {purchase} is single-source for a system recorded as not business-critical. "
        "Confirm that an outage of this product is tolerable."
    ),
    "screening.continuity.q_single_source": N_("whether an alternative supplier exists"),
    "screening.continuity.why": N_("a single source for a critical system is an Art. 10(2) risk."),
    # PURCHASE_VALUE
    "screening.value.above": N_(
        "Purchase {purchase} is worth CNY {value}, above the CNY {threshold} threshold (rule set "
        "v{version}): a large purchase usually means deep dependence of the CII on the product. "
        "Weigh it with the other findings."
    ),
    "screening.value.q_value": N_("the purchase value in CNY"),
    "screening.value.why": N_("the value could not be converted to CNY; record an exchange rate."),
    # CERTIFICATION
    "screening.certification.missing": N_(
        "Purchase {purchase} is {category}: critical network equipment and dedicated "
        "cybersecurity products may be sold or provided only after a security certification or "
        "test under the mandatory national standards (CSL Art. 23 and the catalogue of such "
        "equipment and products). No certificate is recorded: ask the vendor for the "
        "certificate or test report covering this model and record it (certificationReference)."
    ),
    # SBOM_TRANSPARENCY
    "screening.sbom.none": N_(
        "No SBOM has been supplied for purchase {purchase}, so its components, their origin and "
        "known vulnerabilities cannot be checked. Ask the vendor to upload a CycloneDX SBOM."
    ),
    "screening.sbom.low_quality": N_(
        "SBOM {sbom} scores {score}/100, below the threshold of {threshold} (rule set "
        "v{version}). Ask the vendor for a complete SBOM (supplier, name, version and purl for "
        "every component, dependencies)."
    ),
    "screening.sbom.no_supplier": N_(
        "SBOM {sbom}: {without} of {count} components ({share}) name no supplier, so their "
        "origin cannot be checked against restriction lists. Ask the vendor to fill in the "
        "suppliers."
    ),
    # KNOWN_VULNERABILITIES
    "screening.vulnerabilities.open": N_(
        "{count} known vulnerabilities are not analysed as not affecting the product "
        "({by_severity}); the worst: {worst}. Ask the vendor for a fix plan or a VEX statement "
        "per vulnerability; an exploitable flaw could let an attacker control the CII system."
    ),
    "screening.vulnerabilities.open_unrated": N_(
        "{count} known vulnerabilities are not analysed as not affecting the product "
        "({by_severity}; {unrated} unrated, counted as MEDIUM); the worst: {worst}. Ask the "
        "vendor for a fix plan or a VEX statement per vulnerability; an exploitable flaw could "
        "let an attacker control the CII system."
    ),
    "screening.vulnerabilities.in": N_("{id} in {component}"),
    "screening.vulnerabilities.count.CRITICAL": N_("{count} CRITICAL"),
    "screening.vulnerabilities.count.HIGH": N_("{count} HIGH"),
    "screening.vulnerabilities.count.MEDIUM": N_("{count} MEDIUM"),
    "screening.vulnerabilities.count.LOW": N_("{count} LOW"),
    "screening.vulnerabilities.count.INFO": N_("{count} INFO"),
    # RESTRICTION_LIST
    "screening.restriction.vendor": N_(
        "Vendor {vendor} is listed on {lists}. "
        "A listing is a finding on the provider's compliance with Chinese laws and regulations "
        "(Art. 10(4)), and buying from a listed party may itself breach the measure behind the "
        "list. Check the listing's scope before contracting; if it covers this product, do not "
        "proceed without legal sign-off."
    ),
    "screening.restriction.parent": N_(
        "Its ultimate parent {parent} is listed on {lists}. "
        "A listing is a finding on the provider's compliance with Chinese laws and regulations "
        "(Art. 10(4)), and buying from a listed party may itself breach the measure behind the "
        "list. Check the listing's scope before contracting; if it covers this product, do not "
        "proceed without legal sign-off."
    ),
    "screening.restriction.both": N_(
        "Vendor {vendor} is listed on {vendor_lists}; its ultimate parent {parent} is listed on "
        "{parent_lists}. "
        "A listing is a finding on the provider's compliance with Chinese laws and regulations "
        "(Art. 10(4)), and buying from a listed party may itself breach the measure behind the "
        "list. Check the listing's scope before contracting; if it covers this product, do not "
        "proceed without legal sign-off."
    ),
    "screening.restriction.entry": N_("{list} ({day})"),
    "screening.restriction.entry_undated": N_("{list} (date unknown)"),
    "screening.restriction.supplier": N_(
        "SBOM component supplier {supplier} is listed on {lists}. A listed party in the supply "
        "chain makes the product's supply channel unreliable (Art. 10(3)): ask the vendor "
        "whether the component can be replaced and how it is supported."
    ),
    "screening.restriction.supplier_in": N_(
        "SBOM component supplier {supplier} is listed on {lists} in components {components}. A "
        "listed party in the supply chain makes the product's supply channel unreliable "
        "(Art. 10(3)): ask the vendor whether the component can be replaced and how it is "
        "supported."
    ),
    # FOREIGN_CONTROL
    "screening.foreign.abroad": N_(
        "Vendor {vendor}: {reasons} (outside mainland China). Supply and support can be "
        "interrupted by political, diplomatic or trade measures. Check for an alternative "
        "source and make sure the contract carries the Art. 6 commitments (no unjustified "
        "interruption of supply or support)."
    ),
    "screening.foreign.located": N_("the vendor is located in {country}"),
    "screening.foreign.parent": N_("its ultimate parent is in {country}"),
    "screening.foreign.parent_named": N_("its ultimate parent {parent} is in {country}"),
    "screening.foreign.owned": N_("its ownership is recorded as foreign-controlled"),
    "screening.foreign.joint_venture": N_(
        "Vendor {vendor} is a joint venture registered in {country}. Record the foreign "
        "shareholding and who controls the venture; reclassify as foreign-controlled if a "
        "foreign party does."
    ),
    "screening.foreign.q_country": N_("where the vendor is located"),
    "screening.foreign.q_parent_country": N_("where the vendor's ultimate parent is located"),
    "screening.foreign.q_ownership": N_("the vendor's ownership"),
    "screening.foreign.why": N_(
        "foreign location or control is a supply-interruption risk (Art. 10(3))."
    ),
    # why the verdict is what it is (engine.py's decision steps); the English is the API's
    "screening.reason.not_network": N_(
        "not a network product or service: Arts. 19 and 20 do not apply"
    ),
    "screening.reason.not_cii": N_(
        "not an identified CII operator: Art. 19 review duty does not apply"
    ),
    "screening.reason.outside_but_critical": N_(
        "category outside Art. 21, but CRITICAL findings ({rules}): check whether Art. 21's "
        "catch-all 'other network products and services' covers the purchase"
    ),
    "screening.reason.outside": N_("category outside the Art. 21 network products and services"),
    "screening.reason.cii_unknown": N_(
        "unknown whether the operator is an identified CII operator"
    ),
    "screening.reason.would_be_yes": N_("would be YES if it is: HIGH/CRITICAL findings in {rules}"),
    "screening.reason.yes": N_(
        "CII operator, Art. 21 category {code}, HIGH/CRITICAL findings in {rules}"
    ),
    "screening.reason.low_only": N_("in scope with only LOW/MEDIUM findings in {rules}"),
    "screening.reason.facts_unknown": N_("facts unknown: {facts}"),
    "screening.reason.nothing_found": N_("in scope, but no risk factor found by the enabled rules"),
    # a review case's timeline (timeline.py): the case opened, the verdict changed
    "screening.case.opened": N_("Screening verdict {verdict} (score {score}): {reasons}"),
    "screening.case.verdict_changed": N_(
        "Screening verdict changed from {old} to {new}: {reasons}"
    ),
    # the verdicts, as a review case's timeline names them
    "screening.verdict.YES": N_("YES"),
    "screening.verdict.NO": N_("NO"),
    "screening.verdict.NEEDS_ASSESSMENT": N_("NEEDS_ASSESSMENT"),
    # the categories' stored values, which the API's reasons name (a page names them in words)
    f"screening.category_code.{C.CORE_NETWORK_EQUIPMENT}": N_("CORE_NETWORK_EQUIPMENT"),
    f"screening.category_code.{C.IMPORTANT_TELECOM_PRODUCT}": N_("IMPORTANT_TELECOM_PRODUCT"),
    f"screening.category_code.{C.HIGH_PERFORMANCE_COMPUTER_SERVER}": N_(
        "HIGH_PERFORMANCE_COMPUTER_SERVER"
    ),
    f"screening.category_code.{C.MASS_STORAGE_DEVICE}": N_("MASS_STORAGE_DEVICE"),
    f"screening.category_code.{C.LARGE_DATABASE_APPLICATION_SOFTWARE}": N_(
        "LARGE_DATABASE_APPLICATION_SOFTWARE"
    ),
    f"screening.category_code.{C.NETWORK_SECURITY_EQUIPMENT}": N_("NETWORK_SECURITY_EQUIPMENT"),
    f"screening.category_code.{C.CLOUD_COMPUTING_SERVICE}": N_("CLOUD_COMPUTING_SERVICE"),
    f"screening.category_code.{C.OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE}": N_(
        "OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE"
    ),
    f"screening.category_code.{C.OUTSIDE_SCOPE}": N_("OUTSIDE_SCOPE"),
    f"screening.category_code.{C.NOT_NETWORK_PRODUCT}": N_("NOT_NETWORK_PRODUCT"),
    # the Art. 21 categories, as the certification finding names them
    f"screening.category.{C.CORE_NETWORK_EQUIPMENT}": N_("core network equipment"),
    f"screening.category.{C.IMPORTANT_TELECOM_PRODUCT}": N_("important telecommunications product"),
    f"screening.category.{C.HIGH_PERFORMANCE_COMPUTER_SERVER}": N_(
        "high-performance computer or server"
    ),
    f"screening.category.{C.MASS_STORAGE_DEVICE}": N_("mass storage device"),
    f"screening.category.{C.LARGE_DATABASE_APPLICATION_SOFTWARE}": N_(
        "large database or application software"
    ),
    f"screening.category.{C.NETWORK_SECURITY_EQUIPMENT}": N_("network security equipment"),
    f"screening.category.{C.CLOUD_COMPUTING_SERVICE}": N_("cloud computing service"),
    f"screening.category.{C.OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE}": N_(
        "other network product or service with an important impact on CII, network or data security"
    ),
    f"screening.category.{C.OUTSIDE_SCOPE}": N_(
        "a network product or service outside the Art. 21 list"
    ),
    f"screening.category.{C.NOT_NETWORK_PRODUCT}": N_("not a network product or service"),
    # refusals of rule sets, restriction lists and advisory imports (ruleset.py, actions/)
    "screening.error.json": N_("not valid JSON: {error}"),
    # an OSV dump refused as a whole (osv_dump.py); {name} is the file as uploaded
    "screening.dump.missing": N_("{name}: no such file or directory"),
    "screening.dump.bad_zip": N_("{name}: not a readable zip file: {detail}"),
    "screening.dump.empty": N_("{name}: the file is empty"),
    "screening.dump.json_too_large": N_(
        "{name}: a JSON file this large should be a zip of records"
    ),
    "screening.dump.not_zip_or_json": N_("{name}: neither a zip file nor valid JSON: {detail}"),
    "screening.dump.wrong_start": N_(
        "{name}: neither a zip file nor valid JSON: expected an OSV record, an array of them or "
        '{{"vulns": [...]}}'
    ),
    "screening.dump.not_records": N_(
        '{name}: expected an OSV record, an array of them or {{"vulns": [...]}}'
    ),
    "screening.error.ruleset_object": N_("rule set must be a JSON object"),
    "screening.error.json_object": N_("must be a JSON object"),
    "screening.error.object": N_("must be an object"),
    "screening.error.version_min": N_("must be >= 1, got {value}"),
    "screening.error.not_negative": N_("must be >= 0"),
    "screening.error.amount": N_("must be a finite amount >= 0, got {value}"),
    "screening.error.percent": N_("must be 0-100, got {value}"),
    "screening.error.percent_range": N_("must be 0-100"),
    "screening.error.weights_order": N_("must not decrease from INFO to CRITICAL"),
    "screening.error.unknown_rule": N_("unknown rule {rule}; known rules: {known}"),
    "screening.error.unknown_field": N_("unknown field"),
    "screening.error.integer": N_("must be an integer, got {value}"),
    "screening.error.decimal_string": N_(
        'must be a decimal string such as "10000000", got {value}'
    ),
    "screening.error.rule_ids": N_("must be a list of rule ids"),
    "screening.error.stale_version": N_(
        "the current version is {current}, so this one must be {next} (got {given}); reload the "
        "rules and apply your change again"
    ),
    "screening.error.listed_twice": N_("'{name}' is listed twice"),
    "screening.error.vendor_not_found": N_("vendor {id} not found"),
    "screening.error.list_name_taken": N_("a restriction list named '{name}' exists"),
    "screening.error.entry_gone": N_(
        "'{name}' is no longer on the list '{list}': it was changed since the page was opened; "
        "nothing was saved"
    ),
    "screening.error.advisories_twice": N_("advisories listed twice: {ids}"),
    "screening.error.no_advisories": N_("contains no advisories"),
    "screening.error.osv_object": N_("an OSV record must be a JSON object, got {type}"),
    "screening.error.osv_list": N_("expected a list of OSV records"),
    # problems in an OSV record (osv_reader.py, advisories.py)
    "screening.osv.object": N_("must be an object, got {type}"),
    "screening.osv.string": N_("must be a string, got {type}"),
    "screening.osv.array": N_("must be an array, got {type}"),
    "screening.osv.empty": N_("must not be empty"),
    "screening.osv.range_type": N_("unknown range type {type}; expected SEMVER, ECOSYSTEM or GIT"),
    "screening.osv.event": N_("must have exactly one of {kinds}; got {got}"),
    "screening.osv.purl": N_("invalid package URL: {error}"),
    "screening.error.country": N_("must be an ISO 3166-1 alpha-2 code such as CN, got {value}"),
}

# What the domain's errors may name: its own ids and the input checks' (procurement/validation.py).
ERRORS: Mapping[str, str] = ChainMap(dict(TEMPLATES), dict(INPUT))


def said(field: str | None, text: Text, code: ErrorCode = ErrorCode.INVALID) -> FieldError:
    """A FieldError saying ``text`` (an id of :data:`ERRORS`), its English as the message."""
    return FieldError.said(field, text, code, ERRORS)


def moved(error: FieldError, field: str | None) -> FieldError:
    """``error`` under another field path (a nested document's error, placed in its form)."""
    return FieldError(field, error.message, error.code, error.text)
