"""SPDX through every door: the vendor PUT, the GraphQL multipart upload and the CLI store SPDX
2.3 JSON and tag-value made by real tools (npm 11, sbom4python) as the same components, and
versions, diff, where-used, screening and advisories treat them as they treat CycloneDX."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import select

from procurement.models import SbomVersion
from schema.core.ids import to_global_id
from tests.support.cli import cli
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import finished_job
from tests.support.sbom_docs import COMMONS, LOG4J_OLD, firmware_sbom
from tests.support.spdx_docs import (
    HAND_WRITTEN,
    NPM_1_0,
    NPM_1_1,
    needs_sbom4python,
    sbom4python,
    tag_value_packages,
)
from tests.support.world import World, gql, row_counts

NPM_NAMESPACE = "http://spdx.org/spdxdocs/spdx-fixture-1.0.0-d77e6ef7-25a8-439b-a68c-a36b5f0f9f9c"


def bearer(world: World, role: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets[role]}"}


def put_url(purchase_id: int, name: str | None = None) -> str:
    query = f"?name={name}" if name else ""
    return f"/api/purchases/{to_global_id('Purchase', purchase_id)}/sbom{query}"


async def put(client: httpx.AsyncClient, world: World, data: bytes, role: str = "vendor") -> Any:
    return await client.put(put_url(world.purchase_a_cn), content=data, headers=bearer(world, role))


READ = """query S($id: ID!) { sbom(id: $id) {
  name number standard format specVersion serialNumber componentCount isCurrent
  quality { score }
  components(first: 3) { totalCount edges { node {
    name version purl supplier licenses { spdxId expression } hashes { alg } } } }
  dependencies(first: 100) { totalCount edges { node { ref dependsOn } } }
} }"""


async def test_npm_spdx_json_put_stores_the_same_components(
    client: httpx.AsyncClient, world: World, db: DatabaseUnderTest
) -> None:
    # given the SPDX 2.3 JSON that npm 11.19.1 wrote (20 packages: the project and 19 others)
    data = NPM_1_0.read_bytes()
    # when the vendor's CI PUTs it
    r = await put(client, world, data)
    # then it is stored as SPDX: 19 components, the project being the described component
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["standard"], body["format"], body["specVersion"]) == ("SPDX", "json", "2.3")
    assert (body["name"], body["version"], body["componentCount"]) == ("spdx-fixture", 1, 19)
    # npm states neither supplier nor author: 5 of 7 NTIA elements
    assert body["quality"]["coverage"] == {
        "supplier": 0.0,
        "componentName": 1.0,
        "version": 1.0,
        "uniqueIdentifier": 1.0,
        "dependencies": 1.0,
        "author": 0.0,
        "timestamp": 1.0,
    }
    assert (body["quality"]["score"], body["warnings"]) == (71.4, [])
    # and GraphQL shows purls, licences, checksums and the dependency edges
    _s, read = await gql(client, world.secrets["reviewer"], READ, {"id": body["id"]})
    sbom = read["data"]["sbom"]
    assert (sbom["standard"], sbom["serialNumber"], sbom["isCurrent"]) == (
        "SPDX",
        NPM_NAMESPACE,
        True,
    )
    assert sbom["components"]["totalCount"] == 19
    assert [e["node"] for e in sbom["components"]["edges"]] == [
        {
            "name": "@babel/code-frame",
            "version": "7.24.7",
            "purl": "pkg:npm/%40babel/code-frame@7.24.7",
            "supplier": None,
            "licenses": [{"spdxId": "MIT", "expression": None}],
            "hashes": [{"alg": "SHA-512"}],
        },
        {
            "name": "@babel/helper-validator-identifier",
            "version": "7.29.7",
            "purl": "pkg:npm/%40babel/helper-validator-identifier@7.29.7",
            "supplier": None,
            "licenses": [{"spdxId": "MIT", "expression": None}],
            "hashes": [{"alg": "SHA-512"}],
        },
        {
            "name": "@babel/highlight",
            "version": "7.25.9",
            "purl": "pkg:npm/%40babel/highlight@7.25.9",
            "supplier": None,
            "licenses": [{"spdxId": "MIT", "expression": None}],
            "hashes": [{"alg": "SHA-512"}],
        },
    ]
    edges = {
        (e["node"]["ref"], target)
        for e in sbom["dependencies"]["edges"]
        for target in e["node"]["dependsOn"]
    }
    assert len(edges) == 20
    assert ("SPDXRef-Package-spdx-fixture-1.0.0", "SPDXRef-Package-is-number-7.0.0") in edges
    assert ("SPDXRef-Package-chalk-4.1.2", "SPDXRef-Package-supports-color-7.2.0") in edges
    # and the original document is kept byte for byte
    async with db.sessions() as session:
        version = await session.scalar(select(SbomVersion))
    assert version is not None and gzip.decompress(version.document_gzip) == data


@needs_sbom4python
async def test_sbom4python_json_and_tag_value_put(
    client: httpx.AsyncClient, world: World, tmp_path: Path
) -> None:
    # given sbom4python's SPDX 2.3 JSON and tag-value of spdx-tools as installed here
    json_file = sbom4python(tmp_path, "json")
    tag_file = sbom4python(tmp_path, "tag")
    packages = tag_value_packages(tag_file.read_text())
    raw = orjson.loads(json_file.read_bytes())
    assert len(raw["packages"]) == len(packages) >= 6
    # when both are PUT, as two series (named by the uploader)
    r_json = await client.put(
        put_url(world.purchase_a_cn, "json"), content=json_file.read_bytes(),
        headers=bearer(world, "vendor"),
    )  # fmt: skip
    r_tag = await client.put(
        put_url(world.purchase_a_cn, "tag"), content=tag_file.read_bytes(),
        headers=bearer(world, "vendor"),
    )  # fmt: skip
    # then each stores every package but the described one (spdx-tools) as a component
    assert (r_json.status_code, r_tag.status_code) == (201, 201)
    json_body, tag_body = r_json.json(), r_tag.json()
    assert (tag_body["standard"], tag_body["format"], tag_body["specVersion"]) == (
        "SPDX",
        "tagvalue",
        "2.3",
    )
    assert json_body["format"] == "json"
    assert json_body["componentCount"] == tag_body["componentCount"] == len(packages) - 1
    assert json_body["quality"] == tag_body["quality"]
    _s, read = await gql(client, world.secrets["reviewer"], READ, {"id": tag_body["id"]})
    first = read["data"]["sbom"]["components"]["edges"][0]["node"]
    assert first["purl"] is not None and first["purl"].startswith("pkg:pypi/")
    assert first["supplier"] is not None


UPLOAD = """mutation U($purchaseId: ID!, $file: Upload!) {
  uploadSbom(purchaseId: $purchaseId, file: $file) {
    sbom { standard format specVersion componentCount name } errors { field message code } } }"""


async def multipart(
    client: httpx.AsyncClient, world: World, file_name: str, data: bytes
) -> dict[str, Any]:
    operations = {
        "query": UPLOAD,
        "variables": {"purchaseId": to_global_id("Purchase", world.purchase_a_cn), "file": None},
    }
    r = await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (file_name, data, "application/octet-stream")},
        headers=bearer(world, "vendor"),
    )
    assert r.status_code == 200, r.text
    payload: dict[str, Any] = r.json()["data"]["uploadSbom"]
    return payload


async def test_multipart_upload_of_spdx_json_gzip_and_tag_value(
    client: httpx.AsyncClient, world: World
) -> None:
    # given npm's SPDX JSON, gzip-compressed, and an SPDX 2.3 tag-value document
    # when both are uploaded through the GraphQL multipart request
    from_json = await multipart(
        client, world, "bom.spdx.json.gz", gzip.compress(NPM_1_0.read_bytes())
    )
    from_tag = await multipart(client, world, "product.spdx", HAND_WRITTEN.read_bytes())
    # then both are stored as SPDX
    assert from_json == {
        "sbom": {
            "standard": "SPDX",
            "format": "json",
            "specVersion": "2.3",
            "componentCount": 19,
            "name": "spdx-fixture",
        },
        "errors": [],
    }
    assert from_tag["errors"] == []
    assert (from_tag["sbom"]["standard"], from_tag["sbom"]["format"]) == ("SPDX", "tagvalue")


async def test_spdx_refusals_name_what_is_accepted_and_store_nothing(
    client: httpx.AsyncClient, world: World, db: DatabaseUnderTest
) -> None:
    # given an SPDX document that breaks its schema, an SPDX 3 one and a JSON that is no SBOM
    broken = orjson.loads(NPM_1_0.read_bytes())
    del broken["packages"][3]["name"]
    spdx3 = {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}
    async with db.sessions() as session:
        before = await row_counts(session)
    # when each is PUT
    r_broken = await put(client, world, orjson.dumps(broken))
    r_spdx3 = await put(client, world, orjson.dumps(spdx3))
    r_other = await put(client, world, b'{"name": "not an SBOM"}')
    # then each is a 422 saying where, what is accepted, and that nothing was stored
    assert [r.status_code for r in (r_broken, r_spdx3, r_other)] == [422, 422, 422]
    assert r_broken.json()["errors"][0]["code"] == "SCHEMA_INVALID"
    assert r_broken.json()["errors"][0]["location"] == "/packages/3"
    assert r_spdx3.json()["errors"] == [
        {
            "code": "UNSUPPORTED_SPEC_VERSION",
            "location": "/@context",
            "message": r_spdx3.json()["errors"][0]["message"],
        }
    ]
    assert r_spdx3.json()["errors"][0]["message"].startswith(
        "SPDX 3 (JSON-LD) documents are not supported yet"
    )
    assert "upload SPDX 2.3 or 2.2 (JSON or tag-value) or CycloneDX" in r_spdx3.text
    assert r_other.json()["errors"][0]["code"] == "NOT_CYCLONEDX"
    for r in (r_broken, r_spdx3, r_other):
        assert r.json()["error"] == "the SBOM was not accepted; nothing was stored"
        assert r.json()["accepted"] == [
            "CycloneDX JSON 1.2, 1.3, 1.4, 1.5, 1.6, 1.7",
            "CycloneDX XML 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7",
            "SPDX 2.2, 2.3 JSON",
            "SPDX 2.2, 2.3 tag-value",
            "any of these gzip-compressed",
        ]
    async with db.sessions() as session:
        after = await row_counts(session)
    # each refusal is audited and told to the purchase's subscribers (an outbox row)
    assert after == before | {
        "audit_events": before["audit_events"] + 3,
        "notification_events": before["notification_events"] + 3,
    }


async def test_a_broken_tag_value_document_is_refused_at_its_line(
    client: httpx.AsyncClient, world: World
) -> None:
    # given the SPDX 2.3 tag-value document without the download location of its package on
    # line 47 (the line is required)
    lines = HAND_WRITTEN.read_text().split("\n")
    assert lines[46] == "PackageName: openssl"
    assert lines[51].startswith("PackageDownloadLocation: ")
    del lines[51]
    # when it is PUT, then it is refused at the package's line
    r = await put(client, world, "\n".join(lines).encode())
    assert (r.status_code, r.json()["errors"]) == (
        422,
        [
            {
                "code": "SCHEMA_INVALID",
                "message": 'PackageDownloadLocation is required ("downloadLocation" is a '
                "required property)",
                "location": "line 47",
            }
        ],
    )


DIFF = """query D($a: ID!, $b: ID!) { sbomDiff(fromId: $a, toId: $b) {
  added { name version } removed { name version }
  versionChanged { old { name version } new { version } } unchangedCount } }"""


async def test_a_second_spdx_version_supersedes_the_first_and_diffs(
    client: httpx.AsyncClient, world: World
) -> None:
    # given npm's SPDX of spdx-fixture 1.0.0 stored
    first = (await put(client, world, NPM_1_0.read_bytes())).json()
    # when npm's SPDX of 1.1.0 (chalk 4.1.2 -> 5.3.0, which needs nothing) is PUT
    r = await put(client, world, NPM_1_1.read_bytes())
    # then it is version 2 of the same SBOM, with 14 components
    assert r.status_code == 201
    second = r.json()
    assert (second["name"], second["version"], second["componentCount"]) == (
        "spdx-fixture",
        2,
        14,
    )
    _s, body = await gql(
        client, world.secrets["reviewer"], DIFF, {"a": first["id"], "b": second["id"]}
    )
    assert body == {
        "data": {
            "sbomDiff": {
                "added": [],
                "removed": [
                    {"name": "ansi-styles", "version": "4.3.0"},
                    {"name": "color-convert", "version": "2.0.1"},
                    {"name": "color-name", "version": "1.1.4"},
                    {"name": "has-flag", "version": "4.0.0"},
                    {"name": "supports-color", "version": "7.2.0"},
                ],
                "versionChanged": [
                    {"old": {"name": "chalk", "version": "4.1.2"}, "new": {"version": "5.3.0"}}
                ],
                "unchangedCount": 13,
            }
        }
    }
    _s, old = await gql(client, world.secrets["reviewer"], READ, {"id": first["id"]})
    assert old["data"]["sbom"]["isCurrent"] is False


USAGES = """query U($purl: String!, $range: String) {
  componentUsages(purl: $purl, versionRange: $range) { totalCount purchaseCount
    edges { node { version purchase { title } sbom { name number standard } } } } }"""
SBOMS = (
    """query P($id: ID!) { purchase(id: $id) { sboms { name standard format componentCount } } }"""
)


async def test_a_purchase_holds_a_cyclonedx_and_an_spdx_sbom_and_where_used_finds_both(
    client: httpx.AsyncClient, world: World
) -> None:
    # given a CycloneDX firmware SBOM and npm's SPDX SBOM uploaded for one purchase
    cyclonedx = await put(client, world, firmware_sbom([LOG4J_OLD, COMMONS]))
    spdx = await put(client, world, NPM_1_0.read_bytes())
    assert (cyclonedx.status_code, spdx.status_code) == (201, 201)
    # when reading the purchase's SBOMs
    _s, body = await gql(
        client, world.secrets["reviewer"], SBOMS,
        {"id": to_global_id("Purchase", world.purchase_a_cn)},
    )  # fmt: skip
    # then it holds both, each the first version of its own series
    assert sorted(body["data"]["purchase"]["sboms"], key=lambda s: s["standard"]) == [
        {"name": "cn.huaxin/router-firmware", "standard": "CYCLONEDX", "format": "json",
         "componentCount": 2},
        {"name": "spdx-fixture", "standard": "SPDX", "format": "json", "componentCount": 19},
    ]  # fmt: skip
    assert (cyclonedx.json()["version"], spdx.json()["version"]) == (1, 1)
    # and where-used finds the SPDX component by purl and version range
    _s, body = await gql(
        client, world.secrets["reviewer"], USAGES,
        {"purl": "pkg:npm/chalk", "range": "vers:npm/>=4.0.0|<5.0.0"},
    )  # fmt: skip
    assert body["data"]["componentUsages"] == {
        "totalCount": 1,
        "purchaseCount": 1,
        "edges": [
            {
                "node": {
                    "version": "4.1.2",
                    "purchase": {"title": "Core routers"},
                    "sbom": {"name": "spdx-fixture", "number": 1, "standard": "SPDX"},
                }
            }
        ],
    }


IMPORT = """mutation I($input: ImportAdvisoriesInput!) { importAdvisories(input: $input) {
  advisoryImport { added unmatchable } job { id } errors { message } } }"""
SCREENING = """query P($id: ID!) { purchase(id: $id) { screening { verdict
  findings { rule severity evidence } } } }"""


async def test_advisories_match_spdx_components_and_screening_sees_them(
    client: httpx.AsyncClient, world: World, db: DatabaseUnderTest
) -> None:
    # given npm's SPDX SBOM stored (picocolors 1.1.1 among its packages)
    assert (await put(client, world, NPM_1_0.read_bytes())).status_code == 201
    advisory = {
        "id": "GHSA-test-pico-0001",
        "modified": "2026-11-01T00:00:00Z",
        "summary": "Test advisory for picocolors",
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": "picocolors"},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.1.2"}]}],
            }
        ],
        "database_specific": {"severity": "CRITICAL"},
    }
    # when the admin imports an advisory for picocolors < 1.1.2
    variables = {"input": {"fileName": "osv.json", "osvJson": json.dumps([advisory])}}
    _s, body = await gql(client, world.secrets["admin"], IMPORT, variables)
    payload = body["data"]["importAdvisories"]
    job = await finished_job(db, client, world.secrets["admin"], payload.pop("job")["id"])
    rescreen = job["outcome"]["rescreen"]
    payload["advisoryImport"]["rescreen"] = {
        "screened": rescreen["screened"],
        "changed": rescreen["changed"],
    }
    # then the SPDX component matches and the purchase is rescreened with the finding
    assert payload == {
        "advisoryImport": {
            "added": ["GHSA-test-pico-0001"],
            "unmatchable": [],
            "rescreen": {"screened": 1, "changed": 1},
        },
        "errors": [],
    }
    _s, body = await gql(
        client, world.secrets["reviewer"], SCREENING,
        {"id": to_global_id("Purchase", world.purchase_a_cn)},
    )  # fmt: skip
    screening = body["data"]["purchase"]["screening"]
    [finding] = [f for f in screening["findings"] if f["rule"] == "KNOWN_VULNERABILITIES"]
    assert finding["severity"] == "CRITICAL"
    assert finding["evidence"]["vulnerability_ids"] == ["GHSA-test-pico-0001"]
    assert finding["evidence"]["component_purls"] == ["pkg:npm/picocolors@1.1.1"]
    assert screening["verdict"] == "YES"


async def test_cli_ingests_spdx_tag_value_and_json(db: DatabaseUnderTest, world: World) -> None:
    # given the hand-written SPDX 2.3 tag-value and npm's JSON on disk
    # when the operator ingests them with the console script, on this test's database
    url = db.url
    tag = cli(url, "sbom", "ingest", str(HAND_WRITTEN), "--purchase", str(world.purchase_a_cn))
    npm = cli(url, "sbom", "ingest", str(NPM_1_0), "--purchase", str(world.purchase_a_cn))
    again = cli(url, "sbom", "ingest", str(NPM_1_0), "--purchase", str(world.purchase_a_cn))
    # then both are stored as SPDX and the second upload of the same file stores nothing
    assert (tag.returncode, npm.returncode, again.returncode) == (0, 0, 0), tag.stderr + npm.stderr
    assert npm.stdout == (
        "SBOM 2 'spdx-fixture' version 1 stored: SPDX 2.3 json, 19 components, "
        "quality 71.4/100, 0 warnings\n"
    )
    assert again.stdout.startswith("SBOM 2 'spdx-fixture' version 1 already stored")
    assert " stored: SPDX 2.3 tagvalue, " in tag.stdout
    async with db.sessions() as session:
        standards = list(await session.scalars(select(SbomVersion.standard)))
    assert [s.value for s in standards] == ["SPDX", "SPDX"]


async def test_cli_refuses_spdx_3_saying_what_to_do(
    db: DatabaseUnderTest, world: World, tmp_path: Path
) -> None:
    # given an SPDX 3 JSON-LD document
    path = tmp_path / "product.spdx3.json"
    path.write_text('{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}')
    # when ingesting it
    result = cli(db.url, "sbom", "ingest", str(path), "--purchase", str(world.purchase_a_cn))
    # then the CLI exits 1 naming the place, the reason and what is accepted
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: file/@context: UNSUPPORTED_SPEC_VERSION: SPDX 3 (JSON-LD) documents are not "
        "supported yet"
    )
    assert result.stderr.endswith(
        "accepted: CycloneDX JSON 1.2, 1.3, 1.4, 1.5, 1.6, 1.7; CycloneDX XML 1.0, 1.1, 1.2, 1.3, "
        "1.4, 1.5, 1.6, 1.7; SPDX 2.2, 2.3 JSON; SPDX 2.2, 2.3 tag-value; any of these "
        "gzip-compressed\n"
    )


async def test_spdx_2_2_json_is_stored_and_a_long_namespace_fits(
    client: httpx.AsyncClient, world: World
) -> None:
    # given npm's document restated as SPDX 2.2 (2.2 wants licenseConcluded and copyrightText,
    # and knows no primaryPackagePurpose) with a 358-character document namespace
    document = orjson.loads(NPM_1_0.read_bytes())
    namespace = "https://spdx.example.org/spdxdocs/" + "spdx-fixture-1.0.0-" * 17 + "1"
    document |= {"spdxVersion": "SPDX-2.2", "documentNamespace": namespace}
    for package in document["packages"]:
        package.pop("primaryPackagePurpose", None)
        package |= {"licenseConcluded": "NOASSERTION", "copyrightText": "NOASSERTION"}
    assert len(namespace) == 358
    # when it is PUT
    r = await put(client, world, orjson.dumps(document))
    # then it is stored as SPDX 2.2 with the same 19 components and the whole namespace
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["standard"], body["specVersion"], body["componentCount"]) == ("SPDX", "2.2", 19)
    _s, read = await gql(client, world.secrets["reviewer"], READ, {"id": body["id"]})
    assert read["data"]["sbom"]["serialNumber"] == namespace
    assert read["data"]["sbom"]["components"]["edges"][0]["node"]["licenses"] == [
        {"spdxId": "MIT", "expression": None}
    ]
