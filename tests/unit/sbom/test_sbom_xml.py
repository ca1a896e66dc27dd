"""CycloneDX XML: safe parsing (no DTD, no entities, no network), validation, extraction."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sbom import (
    Affect,
    AffectedVersion,
    Contact,
    DataFlow,
    Dependency,
    ExternalReference,
    Hash,
    IssueCode,
    License,
    Lifecycle,
    OrganizationalEntity,
    Rating,
    SbomFormat,
    SbomIssue,
    SbomRejected,
    Tool,
    parse_sbom,
    xml_safety,
)

from .builders import LIMIT, bom_xml

FORBIDDEN = "XML documents with a DOCTYPE (DTD or entity declarations) are not accepted"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE bom [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <components><component type="library"><name>&lol9;</name></component></components>
</bom>
"""


def _xxe(target: str, preamble: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{preamble}'
        f'<!DOCTYPE bom [<!ENTITY xxe SYSTEM "{target}">]>\n'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">\n'
        '  <components><component type="library"><name>&xxe;</name>'
        "<version>1</version></component></components>\n</bom>\n"
    ).encode()


def _rejection(data: bytes) -> SbomRejected:
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(data, max_bytes=LIMIT)
    return excinfo.value


def _everything_said(rejected: SbomRejected) -> str:
    return repr(rejected.errors) + str(rejected) + repr(rejected.args)


# --- hostile documents --------------------------------------------------------------------------


def test_billion_laughs_is_rejected_without_expanding_anything() -> None:
    # given the classic entity-expansion bomb
    # when it is parsed
    rejected = _rejection(BILLION_LAUGHS)
    # then it is refused for its DOCTYPE, pointing at the line, and no "lol" came back
    assert rejected.errors == [SbomIssue(IssueCode.FORBIDDEN_XML, FORBIDDEN, "line 2")]
    assert "lollol" not in _everything_said(rejected)


def test_xxe_reading_etc_passwd_is_rejected_and_the_file_never_appears() -> None:
    # given an external entity pointing at /etc/passwd
    rejected = _rejection(_xxe("file:///etc/passwd"))
    # then it is refused and nothing of the file shows up anywhere in the error
    assert rejected.errors == [SbomIssue(IssueCode.FORBIDDEN_XML, FORBIDDEN, "line 2")]
    said = _everything_said(rejected)
    assert "root:" not in said
    passwd = Path("/etc/passwd")
    if passwd.exists():
        first_line = passwd.read_text().splitlines()[0]
        assert first_line not in said


def test_xxe_is_refused_even_if_the_prolog_check_were_bypassed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a secret file and an XXE document that reads it
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER-4711")
    document = _xxe(secret.as_uri())
    # and the first line of defence switched off
    monkeypatch.setattr(xml_safety, "check_prolog", lambda data: None)
    # when it is parsed
    rejected = _rejection(document)
    # then the parser (no entity resolution) and the DOCTYPE check after parsing still refuse it
    assert rejected.errors[0].code in (IssueCode.FORBIDDEN_XML, IssueCode.INVALID_XML)
    assert "TOP-SECRET-MARKER-4711" not in _everything_said(rejected)


def test_billion_laughs_is_refused_even_if_the_prolog_check_were_bypassed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(xml_safety, "check_prolog", lambda data: None)
    rejected = _rejection(BILLION_LAUGHS)
    assert rejected.errors[0].code in (IssueCode.FORBIDDEN_XML, IssueCode.INVALID_XML)
    assert "lollol" not in _everything_said(rejected)


def test_doctype_after_comments_and_processing_instructions_is_found() -> None:
    data = _xxe("file:///etc/passwd", preamble="<!-- a comment -->\n<?pi data?>\n")
    rejected = _rejection(data)
    assert rejected.errors == [SbomIssue(IssueCode.FORBIDDEN_XML, FORBIDDEN, "line 4")]


def test_external_dtd_reference_is_rejected() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE bom SYSTEM "http://attacker.example/evil.dtd">\n'
        + bom_xml("1.4", "").split(b"\n", 1)[1]
    )
    assert _rejection(data).errors[0].code == IssueCode.FORBIDDEN_XML


def test_xml_declaring_a_non_ascii_compatible_encoding_is_rejected() -> None:
    # given an XXE hidden behind UTF-7, where "<!DOCTYPE" is not spelled with a "<" byte
    data = b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE bom+AD4-<bom/>'
    rejected = _rejection(data)
    assert rejected.errors == [
        SbomIssue(
            IssueCode.UNSUPPORTED_ENCODING,
            "XML encoding 'UTF-7' is not supported; use UTF-8",
            "line 1",
        )
    ]


def test_doctype_text_inside_cdata_is_just_text() -> None:
    # given a description that mentions a DOCTYPE inside CDATA (legitimate content)
    body = (
        '<components><component type="library"><name>html</name><version>5</version>'
        "<description><![CDATA[starts with <!DOCTYPE html>]]></description>"
        "</component></components>"
    )
    # then the document is accepted
    parsed = parse_sbom(bom_xml("1.4", body), max_bytes=LIMIT)
    assert [c.name for c in parsed.components] == ["html"]


# --- not CycloneDX / invalid --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<bom xmlns="http://example.com/not-cyclonedx" version="1"/>',
            "not a CycloneDX document: the root element must be <bom> in namespace "
            "http://cyclonedx.org/schema/bom/1.x (found <bom> in namespace "
            "'http://example.com/not-cyclonedx')",
        ),
        (
            b"<bom/>",
            "not a CycloneDX document: the root element must be <bom> in namespace "
            "http://cyclonedx.org/schema/bom/1.x (found <bom> in no namespace)",
        ),
        (
            b'<?xml version="1.0"?><spdx xmlns="http://cyclonedx.org/schema/bom/1.4"/>',
            "not a CycloneDX document: the root element must be <bom> in namespace "
            "http://cyclonedx.org/schema/bom/1.x (found <spdx> in namespace "
            "'http://cyclonedx.org/schema/bom/1.4')",
        ),
    ],
    ids=["foreign-namespace", "no-namespace", "wrong-root"],
)
def test_xml_with_a_bad_namespace_or_root_is_rejected(data: bytes, message: str) -> None:
    assert _rejection(data).errors == [SbomIssue(IssueCode.NOT_CYCLONEDX, message, "line 1")]


def test_spdx_rdf_xml_is_refused_saying_what_to_send() -> None:
    # given SPDX's RDF/XML serialisation (as spdx-tools writes it)
    data = (
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:SpdxDocument/></rdf:RDF>'
    )
    # when it is parsed, then it is refused naming the formats to send instead
    assert _rejection(data).errors == [
        SbomIssue(
            IssueCode.NOT_CYCLONEDX,
            "SPDX RDF/XML is not supported: upload SPDX 2.2/2.3 as JSON or tag-value (spdx-tools "
            "converts: pyspdxtools -i doc.rdf.xml -o doc.spdx), or CycloneDX JSON or XML",
            "line 2",
        )
    ]


def test_unknown_xml_spec_version_is_rejected() -> None:
    rejected = _rejection(b'<bom xmlns="http://cyclonedx.org/schema/bom/1.9" version="1"/>')
    assert rejected.errors == [
        SbomIssue(
            IssueCode.UNSUPPORTED_SPEC_VERSION,
            "CycloneDX XML version '1.9' is not supported; supported XML versions: "
            "1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7",
            "line 1",
        )
    ]


def test_malformed_xml_is_rejected_with_its_line() -> None:
    rejected = _rejection(
        b'<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.4">\n<oops>\n</bom>'
    )
    (error,) = rejected.errors
    assert (error.code, error.location) == (IssueCode.INVALID_XML, "line 4")
    assert error.message.startswith("not well-formed XML: ")


def test_schema_violation_is_reported_with_its_line_number() -> None:
    # given a component without a name on line 4
    body = '<components>\n<component type="library">\n<version>1</version>\n</component>\n</components>'
    rejected = _rejection(bom_xml("1.4", body))
    (error,) = rejected.errors
    assert (error.code, error.location) == (IssueCode.SCHEMA_INVALID, "line 5")
    assert "{http://cyclonedx.org/schema/bom/1.4}version" in error.message
    assert "Expected is" in error.message


def test_xml_schema_errors_are_capped() -> None:
    body = (
        "<components>"
        + "".join(f'<component type="gizmo"><name>c{i}</name></component>' for i in range(30))
        + "</components>"
    )
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(bom_xml("1.4", body), max_bytes=LIMIT, max_errors=4)
    assert len(excinfo.value.errors) == 4


# --- extraction ---------------------------------------------------------------------------------

FULL_1_6 = """
  <metadata>
    <timestamp>2024-05-01T12:00:00Z</timestamp>
    <lifecycles><lifecycle><phase>build</phase></lifecycle></lifecycles>
    <tools>
      <components><component type="application"><group>acme</group><name>scan</name><version>2</version></component></components>
      <services><service><provider><name>Acme</name></provider><name>sbom-svc</name><version>1</version></service></services>
    </tools>
    <authors><author><name>Jane Doe</name><email>jane@example.com</email></author></authors>
    <component type="application" bom-ref="app"><name>app</name><version>9</version></component>
    <manufacturer><name>Acme Manufacturing</name><url>https://acme.example</url></manufacturer>
    <supplier><name>Acme Supply</name></supplier>
  </metadata>
  <components>
    <component type="library" bom-ref="log4j">
      <supplier><name>Apache Software Foundation</name></supplier>
      <group>org.apache.logging.log4j</group>
      <name>log4j-core</name>
      <version>2.14.1</version>
      <scope>required</scope>
      <hashes><hash alg="SHA-256">aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</hash></hashes>
      <licenses><license><id>Apache-2.0</id></license><license><name>Custom</name></license></licenses>
      <cpe>cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*</cpe>
      <purl>pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar</purl>
      <swid tagId="swidgen-log4j" name="log4j-core"/>
      <externalReferences><reference type="vcs"><url>https://github.com/apache/logging-log4j2</url></reference></externalReferences>
      <components>
        <component type="library" bom-ref="api"><name>log4j-api</name><version>2.14.1</version>
          <licenses><expression>Apache-2.0 OR MIT</expression></licenses>
        </component>
      </components>
    </component>
  </components>
  <services>
    <service bom-ref="gw">
      <name>API Gateway</name>
      <endpoints><endpoint>https://example.com/api</endpoint></endpoints>
      <authenticated>false</authenticated>
      <x-trust-boundary>true</x-trust-boundary>
      <data><dataflow name="users"><classification flow="inbound">PII</classification></dataflow></data>
      <services><service bom-ref="db"><name>Postgres</name></service></services>
    </service>
  </services>
  <dependencies>
    <dependency ref="log4j"><dependency ref="api"/></dependency>
    <dependency ref="api"/>
  </dependencies>
  <vulnerabilities>
    <vulnerability bom-ref="v1">
      <id>CVE-2021-44228</id>
      <source><name>NVD</name><url>https://nvd.nist.gov/vuln/detail/CVE-2021-44228</url></source>
      <ratings><rating><source><name>NVD</name></source><score>10.0</score><severity>critical</severity><method>CVSSv31</method></rating></ratings>
      <cwes><cwe>502</cwe></cwes>
      <description>Log4Shell</description>
      <analysis>
        <state>not_affected</state>
        <justification>code_not_reachable</justification>
        <responses><response>will_not_fix</response><response>update</response></responses>
        <detail>JNDI lookups are disabled</detail>
      </analysis>
      <affects><target><ref>log4j</ref><versions><version><version>2.14.1</version><status>affected</status></version></versions></target></affects>
    </vulnerability>
  </vulnerabilities>"""


def test_xml_1_6_document_is_fully_extracted() -> None:
    # given a 1.6 XML document using every element the service reads
    data = bom_xml(
        "1.6",
        FULL_1_6,
        attributes='serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="2"',
    )
    # when parsed
    parsed = parse_sbom(data, max_bytes=LIMIT)
    # then document, metadata, components, services, dependencies and VEX all come through
    assert (parsed.format, parsed.spec_version, parsed.version) == (SbomFormat.XML, "1.6", 2)
    assert parsed.serial_number == "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    meta = parsed.metadata
    assert meta.timestamp == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert meta.lifecycles == (Lifecycle(phase="build"),)
    assert meta.tools == (
        Tool("component", "scan", vendor="acme", version="2"),
        Tool("service", "sbom-svc", vendor="Acme", version="1"),
    )
    assert meta.authors == (Contact("Jane Doe", "jane@example.com"),)
    assert meta.manufacturer == OrganizationalEntity(
        "Acme Manufacturing", ("https://acme.example",)
    )
    assert meta.supplier == OrganizationalEntity("Acme Supply")
    assert meta.component is not None and meta.component.bom_ref == "app"

    top, nested = parsed.components
    assert (top.bom_ref, top.path, nested.bom_ref, nested.path, nested.parent_ref) == (
        "log4j",
        (0,),
        "api",
        (0, 0),
        "log4j",
    )
    assert top.supplier_name == "Apache Software Foundation"
    assert (top.group, top.name, top.version, top.scope) == (
        "org.apache.logging.log4j",
        "log4j-core",
        "2.14.1",
        "required",
    )
    assert top.hashes == (Hash("SHA-256", "a" * 64),)
    assert top.licenses == (License(spdx_id="Apache-2.0"), License(name="Custom"))
    assert nested.licenses == (License(expression="Apache-2.0 OR MIT"),)
    assert top.cpe == "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
    assert top.purl_identity == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    assert top.swid_tag_id == "swidgen-log4j"
    assert top.external_references == (
        ExternalReference("vcs", "https://github.com/apache/logging-log4j2"),
    )
    assert top.location.startswith("line ")
    assert parsed.raw_component_count == 2

    gateway, database = parsed.services
    assert (gateway.name, gateway.endpoints, gateway.authenticated, gateway.trust_boundary) == (
        "API Gateway",
        ("https://example.com/api",),
        False,
        True,
    )
    assert gateway.data_flows == (DataFlow("PII", "inbound"),)
    assert (database.name, database.path, database.parent_ref) == ("Postgres", (0, 0), "gw")

    assert parsed.dependencies == (Dependency("log4j", ("api",)), Dependency("api", ()))

    (vulnerability,) = parsed.vulnerabilities
    assert (vulnerability.id, vulnerability.bom_ref) == ("CVE-2021-44228", "v1")
    assert (vulnerability.source_name, vulnerability.source_url) == (
        "NVD",
        "https://nvd.nist.gov/vuln/detail/CVE-2021-44228",
    )
    assert vulnerability.ratings == (Rating("NVD", 10.0, "critical", "CVSSv31"),)
    assert vulnerability.cwes == (502,)
    assert vulnerability.affects == (
        Affect("log4j", (AffectedVersion(version="2.14.1", status="affected"),)),
    )
    assert (vulnerability.analysis_state, vulnerability.analysis_justification) == (
        "not_affected",
        "code_not_reachable",
    )
    assert vulnerability.analysis_response == ("will_not_fix", "update")
    assert vulnerability.analysis_detail == "JNDI lookups are disabled"
    assert parsed.warnings == ()


def test_xml_1_0_document_is_accepted() -> None:
    body = (
        '<components><component type="library"><name>left-pad</name><version>1.3.0</version>'
        "<purl>pkg:npm/left-pad@1.3.0</purl><modified>false</modified></component></components>"
    )
    parsed = parse_sbom(bom_xml("1.0", body), max_bytes=LIMIT)
    assert (parsed.spec_version, [c.purl for c in parsed.components]) == (
        "1.0",
        ["pkg:npm/left-pad@1.3.0"],
    )


def test_xml_legacy_tools_and_manufacture() -> None:
    body = (
        "<metadata><tools><tool><vendor>CycloneDX</vendor><name>cyclonedx-maven-plugin</name>"
        "<version>2.7</version></tool></tools><manufacture><name>Old Style Ltd</name></manufacture>"
        "</metadata>"
    )
    meta = parse_sbom(bom_xml("1.4", body), max_bytes=LIMIT).metadata
    assert meta.tools == (
        Tool("tool", "cyclonedx-maven-plugin", vendor="CycloneDX", version="2.7"),
    )
    assert meta.manufacturer == OrganizationalEntity("Old Style Ltd")


def test_xml_timestamp_without_zone_is_read_as_utc_with_a_warning() -> None:
    # given an xs:dateTime without zone (valid XML Schema, unlike JSON's RFC 3339)
    body = "<metadata><timestamp>2020-01-02T03:04:05</timestamp></metadata>"
    parsed = parse_sbom(bom_xml("1.4", body), max_bytes=LIMIT)
    assert parsed.metadata.timestamp == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parsed.warnings == (
        SbomIssue(
            IssueCode.TIMESTAMP_WITHOUT_TIMEZONE,
            "timestamp '2020-01-02T03:04:05' has no timezone; read as UTC",
            "line 3",
        ),
    )


def test_xml_timestamp_datetime_cannot_hold_is_a_warning() -> None:
    body = "<metadata><timestamp>12020-01-02T03:04:05Z</timestamp></metadata>"
    parsed = parse_sbom(bom_xml("1.4", body), max_bytes=LIMIT)
    assert parsed.metadata.timestamp is None
    assert parsed.warnings == (
        SbomIssue(
            IssueCode.INVALID_TIMESTAMP, "unreadable timestamp '12020-01-02T03:04:05Z'", "line 3"
        ),
    )


def test_xml_extension_elements_in_other_namespaces_are_ignored() -> None:
    body = (
        '<components><component type="library"><name>a</name><version>1</version>'
        '<x:build xmlns:x="urn:example:ext"><x:name>not the name</x:name></x:build>'
        "</component></components>"
    )
    (component,) = parse_sbom(bom_xml("1.4", body), max_bytes=LIMIT).components
    assert component.name == "a"


def test_imported_spdx_xsd_is_used_offline() -> None:
    body = (
        '<components><component type="library"><name>a</name><version>1</version>'
        "<licenses><license><id>NOT-A-LICENSE</id></license></licenses></component></components>"
    )
    (error,) = _rejection(bom_xml("1.4", body)).errors
    assert (error.code, error.location) == (IssueCode.SCHEMA_INVALID, "line 3")
    assert "NOT-A-LICENSE" in error.message
