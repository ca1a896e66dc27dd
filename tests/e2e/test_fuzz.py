"""Fuzzing (issue 11): every root query and mutation, generated from the live schema by
hypothesis-graphql with our own strategies for ID, Decimal, Date and DateTime, sent with the
token of every role; and every REST path with odd ids. Nothing a client sends may give an HTTP
5xx or a masked "internal error". Generation is derandomized: the same documents on every run.

A finding names the document and the role, so it can be replayed and pinned by a regression test
(tests/e2e/test_fuzz_regressions.py).
"""

from __future__ import annotations

from functools import cache

import graphql
import httpx
import pytest

from schema.api import schema
from tests.support import fuzzing
from tests.support.world import World

PER_FIELD = 6  # documents per root field, the n-th sent with the n-th role's token
SCHEMA: graphql.GraphQLSchema = schema.graphql_schema
FIELDS = fuzzing.root_fields(SCHEMA)
# Split so that pytest-xdist can run the parts side by side.
PARTS = {
    "queries": [f for f in FIELDS if f[0] == "query"],
    "mutations-1": [f for f in FIELDS if f[0] == "mutation"][0::2],
    "mutations-2": [f for f in FIELDS if f[0] == "mutation"][1::2],
}


@cache
def _scalars() -> fuzzing.Scalars:
    return fuzzing.custom_scalars(fuzzing.odd_ids(SCHEMA))


def _report(tally: fuzzing.FuzzTally) -> str:
    lines = [f"{len(tally.findings)} findings in {tally.requests} requests:"]
    for finding in tally.findings[:10]:
        lines.append(
            f"- {finding.role}, HTTP {finding.status}: {finding.document!r} -> {finding.body}"
        )
    return "\n".join(lines)


def test_every_root_field_is_fuzzed() -> None:
    # given the parts the fuzz tests send, then together they are every root field of the schema
    assert sorted(f for part in PARTS.values() for f in part) == sorted(FIELDS)
    assert len(FIELDS) == len(SCHEMA.query_type.fields) + len(SCHEMA.mutation_type.fields)  # type: ignore[union-attr]


@pytest.mark.parametrize("part", sorted(PARTS))
async def test_generated_operations_never_fail_the_server(
    part: str, client: httpx.AsyncClient, world: World, demo: str
) -> None:
    # given the world and the demo data, and documents generated for every root field of the part
    # when each is sent with a role's token, the roles taking turns
    tally = await fuzzing.fuzz_graphql(
        client,
        world.secrets,
        SCHEMA,
        PARTS[part],
        PER_FIELD,
        _scalars(),
    )
    # then every request was answered without a 5xx or a masked internal error
    assert tally.findings == [], _report(tally)
    assert tally.requests == sum(
        len(fuzzing.documents(SCHEMA, k, n, PER_FIELD, _scalars())) for k, n in PARTS[part]
    )


async def test_rest_paths_with_odd_ids_never_fail_the_server(
    client: httpx.AsyncClient, world: World
) -> None:
    # when every REST path is asked for with odd ids by every role
    tally = await fuzzing.fuzz_rest(client, world.secrets)
    # then none gets a 5xx
    assert tally.findings == [], _report(tally)
    assert tally.requests == len(fuzzing.REST_PATHS) * len(fuzzing.ODD_PATH_IDS) * 2
