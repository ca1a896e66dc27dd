"""Schema-driven fuzzing of the GraphQL API (hypothesis-graphql) and the REST paths.

Documents are generated first, deterministically (Hypothesis derandomized: the same documents on
every run and machine), then sent to the app in-process with every role's token. A finding is an
HTTP 5xx or a masked internal error ("internal error", code INTERNAL_SERVER_ERROR): both mean the
service failed on something a client sent. The scalars that carry our rules get strategies of
their own: ``ID`` (valid relay ids, forged ones, Unicode digits, non-ASCII base64, integers past
10^21), ``Decimal``, ``Date`` and ``DateTime``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import graphql
import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis_graphql import mutations, nodes, queries
from hypothesis_graphql import strategies as gql_strategies

from procurement.ids import MAX_PK
from schema.core.errors import INTERNAL_MESSAGE

ROLES = ("admin", "procurement", "vendor", "legal", "reviewer", "auditor")
HUGE = 10**21  # past 2**64: a JavaScript client prints it as 1e+21


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def node_types(schema: graphql.GraphQLSchema) -> list[str]:
    node = schema.get_type("Node")
    assert isinstance(node, graphql.GraphQLInterfaceType)
    return sorted(t.name for t in schema.get_implementations(node).objects)


def odd_ids(schema: graphql.GraphQLSchema, existing_pks: Iterable[int] = (1, 2, 3)) -> list[str]:
    """Relay ids of every node type for ``existing_pks`` (rows the seed data has), and forged
    ones: unknown types, pks out of range, Unicode digits, non-ASCII and broken base64."""
    valid = [_b64(f"{name}:{pk}") for name in node_types(schema) for pk in existing_pks]
    forged = [
        _b64("Purchase:0"),
        _b64("Purchase:-1"),
        _b64("Purchase:999999"),
        _b64(f"Purchase:{MAX_PK}"),
        _b64(f"Purchase:{MAX_PK + 1}"),
        _b64(f"Purchase:{2**63 - 1}"),
        _b64(f"Purchase:{HUGE}"),
        _b64("Purchase:١٢"),  # Arabic-Indic digits: str.isdigit() says yes, int() too
        _b64("Purchase:²"),  # a digit int() refuses
        _b64("Purchase:1:2"),
        _b64("Purchase: 1"),
        _b64("Nothing:1"),
        _b64(":1"),
        _b64("Purchase:"),
        base64.b64encode("采购:1".encode()).decode(),
        base64.b64encode(b"\xff\xfe:1").decode(),
        "UHVyY2hhc2U6MQ",  # padding left off
        "UHVyY2hhc2U6MQ==\n",
        "ＵＨＶｙＹ２ｈｈｃ２Ｕ６ＭＱ＝＝",  # fullwidth letters: looks like base64, is not
        "UHVyY2hhc2U6MQ==" + "é",
        "-_-_",
        "",
        " ",
        "1",
        "١",
        str(HUGE),
        "0" * 400,
        "A" * 4000,
        "\x00",
    ]
    return valid + forged


def id_nodes(ids: list[str]) -> st.SearchStrategy[graphql.ValueNode]:
    as_ints = [0, 1, -1, 2**31, 2**63, HUGE, 10**40]
    return st.one_of(
        st.sampled_from(ids).map(nodes.String),
        st.sampled_from(as_ints).map(nodes.Int),
    )


ODD_DECIMALS = [
    "0", "-0", "0.01", "-1", "1250000.00", "1e3", "1E+21", "1e999999999", "-1e-999999999",
    "NaN", "sNaN", "Infinity", "-Infinity", "  7 ", "１２３", "١٢٣", "1_000", "0x10", "",
    "9" * 60, "0." + "0" * 60 + "1", "1.005", "12345678901234567890.12",
]  # fmt: skip


def decimal_nodes() -> st.SearchStrategy[graphql.ValueNode]:
    return st.one_of(
        st.sampled_from(ODD_DECIMALS).map(nodes.String),
        st.decimals(allow_nan=True, allow_infinity=True).map(nodes.String),
        st.sampled_from([0, -1, HUGE, 10**40]).map(nodes.Int),
        st.sampled_from(["1.5", "1e400", "-0.0"]).map(lambda v: graphql.FloatValueNode(value=v)),
    )


ODD_DATES = [
    "2025-03-01", "2025-02-30", "0001-01-01", "9999-12-31", "2025-1-1", "20250301",
    "２０２５-０３-０１", "2025-03-01T00:00:00", "", "yesterday", "2024-02-29", "2023-02-29",
]  # fmt: skip


def date_nodes() -> st.SearchStrategy[graphql.ValueNode]:
    return st.one_of(
        st.sampled_from(ODD_DATES).map(nodes.String),
        st.dates().map(lambda d: nodes.String(d.isoformat())),
        st.sampled_from([0, HUGE]).map(nodes.Int),
    )


ODD_DATETIMES = [
    "2025-03-01T08:00:00+08:00", "2025-03-01T00:00:00Z", "2025-03-01T00:00:00", "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00", "2025-03-01", "2025-13-01T00:00:00Z", "now",
]  # fmt: skip


def datetime_nodes() -> st.SearchStrategy[graphql.ValueNode]:
    return st.sampled_from(ODD_DATETIMES).map(nodes.String)


Scalars = dict[str, st.SearchStrategy[graphql.ValueNode]]


def custom_scalars(ids: list[str]) -> Scalars:
    return {
        "ID": id_nodes(ids),
        "Decimal": decimal_nodes(),
        "Date": date_nodes(),
        "DateTime": datetime_nodes(),
        # Input-only-by-variable or output-only scalars: a literal is a client mistake.
        "JSON": st.just(nodes.String("{}")),
        "Upload": st.just(nodes.String("file.json")),
    }


def root_fields(schema: graphql.GraphQLSchema) -> list[tuple[str, str]]:
    """(kind, field) for every root query and mutation field."""
    found = [("query", name) for name in schema.query_type.fields]  # type: ignore[union-attr]
    if schema.mutation_type is not None:
        found += [("mutation", name) for name in schema.mutation_type.fields]
    return found


def documents(
    schema: graphql.GraphQLSchema,
    kind: str,
    name: str,
    count: int,
    scalars: dict[str, st.SearchStrategy[graphql.ValueNode]],
) -> list[str]:
    """Up to ``count`` distinct documents for one root field, the same on every run: three in
    four valid ones, the rest with one schema violation (where the field has one to violate).
    Kept per process: generating costs more than sending, and both backends send the same."""
    key = (id(schema), kind, name, count, id(scalars))
    if key not in _DOCUMENTS:
        _DOCUMENTS[key] = _generate(schema, kind, name, count, scalars)
    return _DOCUMENTS[key]


_DOCUMENTS: dict[tuple[int, str, str, int, int], list[str]] = {}


def _generate(
    schema: graphql.GraphQLSchema,
    kind: str,
    name: str,
    count: int,
    scalars: dict[str, st.SearchStrategy[graphql.ValueNode]],
) -> list[str]:
    make = queries if kind == "query" else mutations
    valid = make(schema, fields=[name], custom_scalars=scalars)
    invalid = make(schema, fields=[name], custom_scalars=scalars, mode=gql_strategies.Mode.NEGATIVE)
    found: list[str] = []
    for strategy, share in ((valid, count - count // 4), (invalid, count // 4)):
        try:
            _collect(strategy, share, found)
        except InvalidArgument:  # nothing to violate: arguments only of our own scalars
            continue
    return found


def _collect(strategy: st.SearchStrategy[str], count: int, found: list[str]) -> None:
    if count <= 0:
        return

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(document: str) -> None:
        if document not in found:
            found.append(document)

    collect()


@dataclass
class Finding:
    role: str
    status: int
    document: str
    body: str


@dataclass
class FuzzTally:
    """What a fuzz run sent and found."""

    requests: int = 0
    operations: set[str] = field(default_factory=set)
    server_errors: int = 0
    internal_errors: int = 0
    findings: list[Finding] = field(default_factory=list)

    def add(self, other: FuzzTally) -> None:
        self.requests += other.requests
        self.operations |= other.operations
        self.server_errors += other.server_errors
        self.internal_errors += other.internal_errors
        self.findings += other.findings


def masked(body: Any) -> bool:
    errors = body.get("errors") if isinstance(body, dict) else None
    return any(
        isinstance(e, dict)
        and (
            e.get("message") == INTERNAL_MESSAGE
            or (e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
        )
        for e in errors or ()
    )


def judge(tally: FuzzTally, role: str, document: str, response: httpx.Response) -> None:
    tally.requests += 1
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    internal = masked(body)
    if response.status_code >= 500:
        tally.server_errors += 1
    if internal:
        tally.internal_errors += 1
    if response.status_code >= 500 or internal:
        tally.findings.append(Finding(role, response.status_code, document, response.text[:500]))


async def fuzz_graphql(
    client: httpx.AsyncClient,
    secrets: dict[str, str],
    schema: graphql.GraphQLSchema,
    fields: list[tuple[str, str]],
    per_field: int,
    scalars: dict[str, st.SearchStrategy[graphql.ValueNode]],
) -> FuzzTally:
    """Send ``per_field`` generated documents of each root field, the n-th with the token of
    the n-th role (round the roles again past six): with ``per_field`` a multiple of six, every
    field meets every role, each time with another document."""
    tally = FuzzTally()
    for kind, name in fields:
        tally.operations.add(f"{kind} {name}")
        for index, document in enumerate(documents(schema, kind, name, per_field, scalars)):
            role = ROLES[index % len(ROLES)]
            response = await client.post(
                "/graphql",
                json={"query": document},
                headers={"authorization": f"Bearer {secrets[role]}"},
            )
            judge(tally, role, document, response)
    return tally


ODD_PATH_IDS = [
    "1", "2", "3", "0", "-1", "999999", str(MAX_PK), str(MAX_PK + 1), str(2**63 - 1), str(HUGE), "١٢", "²",
    "1.0", "1e3", " 1", "%20", "%00", "%ff", "%E4%B8%AD", "abc", "..", "%2e%2e", "0" * 400,
    _b64("Sbom:1"), _b64("Sbom:999999"), _b64(f"Sbom:{HUGE}"), _b64("Purchase:1"),
    _b64("Agreement:1"), _b64("SupervisionCheck:1"), _b64("Sbom:١"), "UHVyY2hhc2U6MQ",
]  # fmt: skip

REST_PATHS = [
    ("PUT", "/api/purchases/{id}/sbom"),
    ("GET", "/api/sboms/{id}/document"),
    ("GET", "/api/agreements/{id}/document"),
    ("GET", "/api/agreements/{id}/signed-copy"),
    ("GET", "/api/supervision-checks/{id}/attachment"),
]
REST_BODIES = [b"", b"{}", b'{"bomFormat":"CycloneDX","specVersion":"1.6"}', b"\xff\xfe", b"null"]


async def fuzz_rest(client: httpx.AsyncClient, secrets: dict[str, str]) -> FuzzTally:
    """Every REST path with every odd id, each sent twice, with the tokens of two roles that
    take turns (so every path meets every role); uploads with odd bodies."""
    tally = FuzzTally()
    for method, template in REST_PATHS:
        tally.operations.add(f"{method} {template}")
        for number, odd in enumerate(ODD_PATH_IDS):
            path = template.replace("{id}", odd)
            for role in (ROLES[number % 6], ROLES[(number + 3) % 6]):
                headers = {"authorization": f"Bearer {secrets[role]}"}
                if method == "PUT":
                    body = REST_BODIES[number % len(REST_BODIES)]
                    headers["content-type"] = "application/vnd.cyclonedx+json"
                    response = await client.put(path, content=body, headers=headers)
                else:
                    response = await client.get(path, headers=headers)
                judge(tally, role, f"{method} {path}", response)
    return tally
