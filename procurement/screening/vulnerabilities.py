"""Joining embedded VEX statements and imported advisories into one list of open vulnerabilities.

The same flaw often arrives twice (a VEX entry under its CVE, an advisory under its GHSA id with
the CVE as an alias). They are merged per component, and a VEX "not_affected" for any of the ids
closes the advisory too: the supplier's analysis of its own product outranks a generic feed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from procurement.screening.advisories import Advisory, affects
from procurement.screening.ecosystems import IdentityKey, identity_key
from procurement.screening.facts import (
    CLOSED_ANALYSIS_STATES,
    ComponentRef,
    ScreeningFacts,
    VulnerabilityFact,
    normalise_identity,
)

_SEPARATORS = re.compile(r"[-_.]+")


def _fold(name: str) -> str:
    """Coarser than identity_key's name: names it maps to one identity fold to one string."""
    return _SEPARATORS.sub("-", name.lower())


def _may_match(name: str, folded: set[str]) -> bool:
    """A cheap test before packageurl's normalisation (50 times slower): False only when no
    advisory can name this component. Names that normalisation would still change beyond case
    and separators (percent-escapes, surrounding spaces or slashes) always go through."""
    if "%" in name or name != name.strip().strip("/"):
        return True
    return _fold(name) in folded


@dataclass(frozen=True, slots=True)
class VulnerabilityView:
    open: tuple[VulnerabilityFact, ...]
    # Excluded by analysis (not_affected, false_positive, resolved): counted in evidence.
    closed: tuple[VulnerabilityFact, ...]


def match_advisories(
    components: Iterable[ComponentRef], advisories: Sequence[Advisory]
) -> tuple[VulnerabilityFact, ...]:
    """One fact per (advisory, component version) the advisory affects."""
    by_identity: dict[IdentityKey, list[Advisory]] = defaultdict(list)
    for adv in advisories:
        for key in {pkg.identity for pkg in adv.affected if pkg.identity is not None}:
            by_identity[key].append(adv)
    if not by_identity:
        return ()  # nothing to match: no need to look at 100,000 components
    folded = {_fold(name) for _type, _namespace, name in by_identity}
    out: dict[tuple[str, str, str], VulnerabilityFact] = {}
    for comp in components:
        if not comp.version or not _may_match(comp.name, folded):
            continue  # without a version nothing can be claimed either way
        key = identity_key(comp.purl_type, comp.namespace, comp.name)
        for adv in by_identity.get(key, ()):
            if affects(adv, comp.purl_type, comp.namespace, comp.name, comp.version):
                out[(adv.id, comp.identity, comp.version)] = VulnerabilityFact(
                    id=adv.id,
                    severity=adv.severity,
                    affected_purl=comp.identity,
                    affected_version=comp.version,
                    analysis_state=None,
                    source="ADVISORY",
                    aliases=adv.aliases,
                )
    return tuple(out[k] for k in sorted(out))


def _ids(v: VulnerabilityFact) -> frozenset[str]:
    return frozenset((v.id, *v.aliases))


def collect(facts: ScreeningFacts) -> VulnerabilityView:
    components = [c for sbom in facts.sboms for c in sbom.components]
    matched = match_advisories(components, facts.advisories)
    # Given facts (VEX, earlier matches) first: they carry the analysis state.
    candidates = [*facts.vulnerabilities, *matched]
    # A closing statement without a version closes the flaw for every version of the component.
    closed_ids: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for v in candidates:
        if v.analysis_state in CLOSED_ANALYSIS_STATES:
            closed_ids[(normalise_identity(v.affected_purl), v.affected_version)] |= _ids(v)
    seen: dict[tuple[str, str | None], list[frozenset[str]]] = defaultdict(list)
    open_: list[VulnerabilityFact] = []
    closed: list[VulnerabilityFact] = []
    for v in candidates:
        if v.analysis_state in CLOSED_ANALYSIS_STATES:
            closed.append(v)
            continue
        ids, identity = _ids(v), normalise_identity(v.affected_purl)
        if ids & (closed_ids[(identity, None)] | closed_ids[(identity, v.affected_version)]):
            continue
        key = (identity, v.affected_version)
        if any(ids & prior for prior in seen[key]):
            continue  # same flaw, same component version, already listed
        seen[key].append(ids)
        open_.append(v)
    return VulnerabilityView(tuple(open_), tuple(closed))
