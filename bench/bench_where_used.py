"""Where-used at national scale: componentUsages over millions of stored components (PostgreSQL).

    .venv/bin/python bench/with_postgres.py bench/bench_where_used.py          # 1,000 x 10,000
    .venv/bin/python bench/with_postgres.py bench/bench_where_used.py --sboms 50 --http

Generates documents with the project's own generator (bench/sbom_generate.py), turns them into
rows with the ingest code (procurement.sboms.rows.prepare: version keys included), gives each of
``--sboms`` purchases one SBOM built from them plus a log4j-core (every SBOM, versions spread over
2.0-2.24) and, in a few SBOMs, a rare package; loads all component rows with COPY and prints the
load time and the table and index sizes. Then p50/p95 of the read GraphQL uses
(procurement.sboms.usages.component_usages_page, one page of 100 as `first: 100` asks) for the
rare package and log4j-core, without and with a range; beside it the row-by-row path the query
used before keys (every row of the package read and checked by univers), and with ``--http`` the
whole GraphQL request through the ASGI app.

The 10M-row load takes a quarter of an hour: to load once and then iterate on the queries, keep a
cluster and pass ``--reuse`` (a database that already holds ``--sboms`` loaded SBOMs is migrated to
head, e.g. for a new index, vacuumed and measured; an empty one is loaded first):

    PG=/usr/lib/postgresql/15/bin; mkdir -p /work/bench-pg && chown postgres /work/bench-pg
    runuser -u postgres -- $PG/initdb -D /work/bench-pg/data -U postgres --auth=trust
    runuser -u postgres -- $PG/pg_ctl -D /work/bench-pg/data -l /work/bench-pg/log \
        -o "-c listen_addresses=127.0.0.1 -p 55432 -k /tmp -c fsync=off" start
    runuser -u postgres -- $PG/createdb -h 127.0.0.1 -p 55432 -U postgres wu1000
    .venv/bin/python bench/bench_where_used.py --reuse --http \
        --database-url postgresql://postgres@127.0.0.1:55432/wu1000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event, func, insert, inspect, select, text

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

from sbom_generate import generate_cyclonedx_json  # noqa: E402

from procurement import migrate  # noqa: E402
from procurement.composition import app_sessions  # noqa: E402
from procurement.db import create_engine  # noqa: E402
from procurement.enums import Ownership, PurchaseCategory, Role, SbomStandard, Sector  # noqa: E402
from procurement.models import Operator, Purchase, Sbom, SbomComponent, SbomVersion, Vendor  # noqa: E402
from procurement.permissions import SYSTEM  # noqa: E402
from procurement.reference_data import credit_code_check_char  # noqa: E402
from procurement.registry.actions import tokens  # noqa: E402
from procurement.sboms import rows as sbom_rows  # noqa: E402
from procurement.sboms import usages  # noqa: E402
from procurement.settings import load_settings, normalise_database_url  # noqa: E402
from procurement.web.app import create_app  # noqa: E402
from sbom.version_key import version_key  # noqa: E402

LOG4J = ("maven", "org.apache.logging.log4j", "log4j-core")
RARE = ("maven", "org.example.rare", "rare-lib")
RARE_EVERY = 250  # one SBOM in 250 has the rare package (1.0.0, 1.1.0, ... in turn)
PAGE = 100
QUERY = """query U($purl: String!, $range: String) {
  componentUsages(purl: $purl, versionRange: $range, first: 100) { totalCount purchaseCount
    pageInfo { hasNextPage endCursor }
    edges { node { version purchase { title } sbom { name } } } } }"""
CASES = [
    ("rare package", "pkg:maven/org.example.rare/rare-lib", None),
    ("rare package, range", "pkg:maven/org.example.rare/rare-lib", "vers:maven/>=1.0.0|<1.2.0"),
    ("log4j-core (every SBOM)", "pkg:maven/org.apache.logging.log4j/log4j-core", None),
    (
        "log4j-core, range",
        "pkg:maven/org.apache.logging.log4j/log4j-core",
        "vers:maven/>=2.0.0|<2.17.1",
    ),
]


def _extra_row(template: tuple[Any, ...], position: int, package: tuple[str, str, str],
               version: str) -> tuple[Any, ...]:  # fmt: skip
    """A component row for ``package`` at ``version``, in the ingest's column order."""
    purl_type, namespace, name = package
    purl = f"pkg:{purl_type}/{namespace}/{name}@{version}"
    values = dict(zip(sbom_rows.COMPONENT_COLUMNS, template, strict=True))
    values.update(
        position=position, path=str(position), name=name, bom_ref=purl, group=namespace,
        version=version, purl=purl, purl_raw=None, purl_type=purl_type, purl_namespace=namespace,
        purl_name=name, purl_version=version, version_key=version_key(purl_type, version),
    )  # fmt: skip
    return tuple(values[c] for c in sbom_rows.COMPONENT_COLUMNS)


def _documents(components: int, distinct: int) -> list[list[tuple[Any, ...]]]:
    out = []
    for seed in range(distinct):
        document = generate_cyclonedx_json(components - 1, seed=seed, with_vulnerabilities=False)
        out.append(sbom_rows.prepare(document, max_bytes=1 << 30, content_encoding=None).components)
    return out


def _records(
    documents: list[list[tuple[Any, ...]]], version_ids: list[int]
) -> Iterator[tuple[Any, ...]]:
    for index, version_id in enumerate(version_ids):
        rows = documents[index % len(documents)]
        for row in rows:
            yield (version_id, *row)
        log4j = f"2.{index % 25}.{index % 3}"
        yield (version_id, *_extra_row(rows[0], len(rows), LOG4J, log4j))
        if index % RARE_EVERY == 7:
            rare = f"1.{index // RARE_EVERY}.0"
            yield (version_id, *_extra_row(rows[0], len(rows) + 1, RARE, rare))


async def seed(url: str, n_sboms: int) -> tuple[list[int], str]:
    """Migrated schema, one operator, vendor and purchase per SBOM; an admin token."""
    engine = create_engine(url)
    await migrate.upgrade(engine)
    code = "91310000MA1FL0001"
    operator = {"name": "Operator", "credit_code": code + credit_code_check_char(code),
                "sector": next(iter(Sector)), "is_cii_operator": True}  # fmt: skip
    vendor = {"name": "Vendor", "country": "CN", "ownership": Ownership.PRIVATE}
    categories = list(PurchaseCategory)
    purchases = [
        {"operator_id": 1, "vendor_id": 1, "title": f"Purchase {i}",
         "category": categories[i % len(categories)], "contract_value": Decimal("100000.00"),
         "currency": "CNY", "tax_included": True, "contract_date": date(2025, 1, 1)}
        for i in range(n_sboms)
    ]  # fmt: skip
    sboms = [{"purchase_id": i + 1, "key": "default", "name": f"SBOM {i}"} for i in range(n_sboms)]
    versions = [
        {"sbom_id": i + 1, "number": 1, "sha256": f"{i:064x}", "format": "json",
         "standard": SbomStandard.CYCLONEDX, "spec_version": "1.6", "bom_version": 1,
         "size_bytes": 0, "document_gzip": b"", "metadata_json": "{}", "quality_score": 1.0,
         "quality_json": "{}", "component_count": 0, "raw_component_count": 0,
         "dependency_count": 0, "service_count": 0, "vulnerability_count": 0,
         "warnings_json": "[]", "uploaded_by": "bench"}
        for i in range(n_sboms)
    ]  # fmt: skip
    async with engine.begin() as conn:
        for model, rows in ((Operator, [operator]), (Vendor, [vendor]), (Purchase, purchases),
                            (Sbom, sboms), (SbomVersion, versions)):  # fmt: skip
            await conn.execute(insert(model), rows)
        version_ids = list(await conn.scalars(select(SbomVersion.id).order_by(SbomVersion.id)))
    async with app_sessions(engine)() as session:
        _token, secret = await tokens.create_token(
            session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="bench")
        )
    await engine.dispose()
    return version_ids, secret


async def load(url: str, documents: list[list[tuple[Any, ...]]], version_ids: list[int]) -> None:
    """COPY every component row (indexes dropped first and built after, as a bulk load does)."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        indexes = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'sbom_components'"
            " AND indexname <> 'pk_sbom_components'"
        )
        for index in indexes:
            await conn.execute(f'DROP INDEX "{index["indexname"]}"')
        started = time.perf_counter()
        columns = ["version_id", *sbom_rows.COMPONENT_COLUMNS]
        await conn.copy_records_to_table(
            "sbom_components", records=_records(documents, version_ids), columns=columns
        )
        copied = time.perf_counter() - started
        started = time.perf_counter()
        for index in indexes:
            await conn.execute(index["indexdef"])
        # VACUUM as autovacuum does after a bulk insert: the visibility map lets index-only
        # scans skip the table.
        await conn.execute("VACUUM (ANALYZE)")
        indexed = time.perf_counter() - started
    finally:
        await conn.close()
    print(
        f"loaded components in {len(version_ids):,} SBOMs: COPY {copied:.1f} s, "
        f"indexes + VACUUM ANALYZE {indexed:.1f} s",
        flush=True,
    )
    await report_sizes(url)


async def report_sizes(url: str) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        count = await conn.fetchval("SELECT count(*) FROM sbom_components")
        sizes = await conn.fetchrow(
            "SELECT pg_relation_size('sbom_components') AS heap,"
            " pg_indexes_size('sbom_components') AS indexes,"
            " pg_total_relation_size('sbom_components') AS total"
        )
        key_index = await conn.fetchval(
            "SELECT pg_relation_size('ix_sbom_components_purl_version_key')"
        )
    finally:
        await conn.close()
    mb = 1024 * 1024
    print(
        f"{count:,} components; table {sizes['heap'] / mb:,.0f} MB, "
        f"indexes {sizes['indexes'] / mb:,.0f} MB (purl+version key index "
        f"{key_index / mb:,.0f} MB), total {sizes['total'] / mb:,.0f} MB",
        flush=True,
    )


async def reuse(url: str, n_sboms: int) -> str | None:
    """A token on a database already loaded with ``n_sboms`` SBOMs (migrated to head and vacuumed
    first); None when the database is empty. Anything else is refused."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
            stored = None
            if "sbom_versions" in tables:
                stored = await conn.scalar(select(func.count()).select_from(SbomVersion))
        if not stored:
            return None
        if stored != n_sboms:
            raise SystemExit(f"the database holds {stored} SBOMs, not --sboms {n_sboms}")
        started = time.perf_counter()
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM (ANALYZE)"))
        print(f"reused the loaded database: migrate + VACUUM {time.perf_counter() - started:.1f} s")
        async with app_sessions(engine)() as session:
            _token, secret = await tokens.create_token(
                session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="bench")
            )
        return secret
    finally:
        await engine.dispose()


async def row_by_row(session: Any, purl: str, version_range: str | None) -> int:
    """The path before version keys: every row of the package as ORM objects, then univers."""
    package, parsed = usages.parse_usage_query(purl, version_range)
    stmt = (
        select(SbomComponent, SbomVersion, Sbom.purchase_id)
        .join(SbomVersion, SbomVersion.id == SbomComponent.version_id)
        .join(Sbom, Sbom.id == SbomVersion.sbom_id)
        .where(
            SbomComponent.purl_type == package.type,
            SbomComponent.purl_namespace == package.namespace,
            SbomComponent.purl_name == package.name,
            SbomVersion.superseded_at.is_(None),
        )
        .order_by(Sbom.purchase_id, SbomVersion.id, SbomComponent.position)
    )
    found = [row for row in await session.execute(stmt)]
    if parsed is not None:
        found = [r for r in found if usages.in_range(r[0].purl_version, parsed)]
    return len(found[:PAGE])


def _percentiles(timings: list[tuple[float, float]]) -> str:
    """Wall-clock p50/p95 and this process's CPU time p50 (on a busy machine the wall clock
    mostly measures waiting for a core; the CPU time does not)."""
    ms = sorted(wall * 1000 for wall, _cpu in timings)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    cpu = statistics.median(c * 1000 for _wall, c in timings)
    return f"p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  (CPU p50 {cpu:5.1f} ms)"


async def _timed(call: Callable[[], Awaitable[object]], runs: int) -> list[tuple[float, float]]:
    for _ in range(3):  # warm-up: connection pool, statement caches
        await call()
    timings = []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        await call()
        timings.append((time.perf_counter() - started, time.process_time() - cpu))
    return timings


async def explain(url: str, engine: Any, call: Callable[[], Awaitable[object]]) -> str:
    """The server's own time for the read's statements (EXPLAIN ANALYZE: planning + execution,
    summed over the statements), independent of the client's waiting for a core."""
    statements: list[tuple[str, Any]] = []

    def capture(_c: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        statements.append((statement, params))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        await call()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    planning = execution = 0.0
    try:
        for statement, params in statements:
            # The second EXPLAIN: a new connection plans slowly until its catalog caches are
            # warm, which the application's pooled connections are.
            for _warm in range(2):
                plan = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", *params)
            found = json.loads(plan)[0]
            planning += found["Planning Time"]
            execution += found["Execution Time"]
    finally:
        await conn.close()
    return (
        f"{len(statements)} statement(s), planning {planning:.1f} ms, execution {execution:.1f} ms"
    )


async def measure(url: str, secret: str, runs: int, http: bool) -> None:
    engine = create_engine(url)
    sessions = app_sessions(engine)
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}), engine=engine)
    headers = {"authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=600
    ) as client:
        for label, purl, version_range in CASES:

            async def read(purl: str = purl, version_range: str | None = version_range) -> object:
                async with sessions() as session:
                    return await usages.component_usages_page(
                        session, SYSTEM, purl, version_range, limit=PAGE
                    )

            async def old(purl: str = purl, version_range: str | None = version_range) -> object:
                async with sessions() as session:
                    return await row_by_row(session, purl, version_range)

            page = await read()
            assert isinstance(page, usages.UsagePage)
            print(f"{label} ({page.total_count:,} usages, {page.purchase_count:,} purchases)")
            print(f"  read (keys, SQL paging)  {_percentiles(await _timed(read, runs))}")
            print(f"  read, server side        {await explain(url, engine, read)}")
            before = await _timed(old, max(3, runs // 5))
            print(f"  row by row (before)      {_percentiles(before)}")
            if http:

                async def request(purl: str = purl, rng: str | None = version_range) -> object:
                    variables = {"purl": purl, "range": rng}
                    body = {"query": QUERY, "variables": variables}
                    r = await client.post("/graphql", headers=headers, json=body)
                    assert r.status_code == 200 and "errors" not in r.json(), r.text[:300]
                    return r

                print(f"  GraphQL over HTTP (ASGI) {_percentiles(await _timed(request, runs))}")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="PostgreSQL (bench/with_postgres.py)")
    parser.add_argument("--sboms", type=int, default=1000)
    parser.add_argument("--components", type=int, default=10_000, help="per SBOM")
    parser.add_argument("--distinct-documents", type=int, default=10)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--http", action="store_true", help="also time GraphQL through the app")
    parser.add_argument(
        "--reuse", action="store_true", help="measure an already loaded database (load it if empty)"
    )
    args = parser.parse_args()
    url = normalise_database_url(args.database_url)
    if not url.startswith("postgresql"):
        raise SystemExit("this benchmark loads with COPY: give a PostgreSQL URL")
    secret = asyncio.run(reuse(url, args.sboms)) if args.reuse else None
    if secret is not None:
        asyncio.run(report_sizes(url))
        asyncio.run(measure(url, secret, args.runs, args.http))
        return
    started = time.perf_counter()
    documents = _documents(args.components, min(args.distinct_documents, args.sboms))
    print(f"generated and read {len(documents)} documents in {time.perf_counter() - started:.1f} s")
    version_ids, secret = asyncio.run(seed(url, args.sboms))
    asyncio.run(load(url, documents, version_ids))
    asyncio.run(measure(url, secret, args.runs, args.http))


if __name__ == "__main__":
    main()
