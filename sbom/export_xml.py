"""Write extracted records as CycloneDX 1.6 XML.

It walks the same object the JSON export builds (:func:`sbom.export.cyclonedx_document`), so both
carry the same content and the same repairs of values 1.6 forbids. That object lists keys in the
XSD's element order; here each JSON shape gets its XML spelling (attributes, wrapper elements,
singular child names). The output is checked against the official 1.6 XSD in the tests.

The XSD constrains one value the JSON schema leaves free: a CPE must match its pattern. A CPE 2.3
whose attribute holds an unquoted special character (Debian's "1.2-1+deb12u1") is quoted as CPE
2.3 asks ("1.2-1\\+deb12u1"); one that still does not match is left out of the XML.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from sbom.cpe import valid_cpe
from sbom.export import EXPORT_SPEC_VERSION, cyclonedx_document
from sbom.models import ParsedSbom

Json = dict[str, Any]
NAMESPACE = f"http://cyclonedx.org/schema/bom/{EXPORT_SPEC_VERSION}"
_N = f"{{{NAMESPACE}}}"


def to_cyclonedx_xml(parsed: ParsedSbom) -> bytes:
    document = cyclonedx_document(parsed)
    bom = etree.Element(_N + "bom", nsmap={None: NAMESPACE})
    if "serialNumber" in document:
        bom.set("serialNumber", document["serialNumber"])
    bom.set("version", str(document["version"]))
    if "metadata" in document:
        _metadata(_sub(bom, "metadata"), document["metadata"])
    if "components" in document:
        _list(bom, "components", document["components"], _component)
    if "services" in document:
        _list(bom, "services", document["services"], _service)
    if "dependencies" in document:
        _list(bom, "dependencies", document["dependencies"], _dependency)
    if "vulnerabilities" in document:
        _list(bom, "vulnerabilities", document["vulnerabilities"], _vulnerability)
    return bytes(etree.tostring(bom, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _sub(parent: etree._Element, tag: str, text: Any = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _N + tag, {k: v for k, v in attributes.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _texts(parent: etree._Element, source: Json, keys: Iterable[str]) -> None:
    for key in keys:
        if key in source:
            _sub(parent, key, source[key])


def _list(parent: etree._Element, wrapper: str, items: list[Any], render: Any) -> None:
    element = _sub(parent, wrapper)
    for item in items:
        render(element, item)


def _metadata(element: etree._Element, metadata: Json) -> None:
    _texts(element, metadata, ["timestamp"])
    if "lifecycles" in metadata:
        lifecycles = _sub(element, "lifecycles")
        for lifecycle in metadata["lifecycles"]:
            _texts(_sub(lifecycles, "lifecycle"), lifecycle, ["phase", "name"])
    if "tools" in metadata:
        tools = _sub(element, "tools")
        if "components" in metadata["tools"]:
            _list(tools, "components", metadata["tools"]["components"], _component)
        if "services" in metadata["tools"]:
            _list(tools, "services", metadata["tools"]["services"], _service)
    if "authors" in metadata:
        authors = _sub(element, "authors")
        for author in metadata["authors"]:
            _texts(_sub(authors, "author"), author, ["name", "email"])
    if "component" in metadata:
        _component(element, metadata["component"])
    for key in ("manufacturer", "supplier"):
        if key in metadata:
            _organization(_sub(element, key), metadata[key])


def _organization(element: etree._Element, entity: Json) -> None:
    _texts(element, entity, ["name"])
    for url in entity.get("url", ()):
        _sub(element, "url", url)


def _component(parent: etree._Element, component: Json) -> None:
    attributes = {"type": component["type"]}
    if "bom-ref" in component:
        attributes["bom-ref"] = component["bom-ref"]
    element = _sub(parent, "component", **attributes)
    if "supplier" in component:
        _organization(_sub(element, "supplier"), component["supplier"])
    _texts(element, component, ["group", "name", "version", "scope"])
    if "hashes" in component:
        hashes = _sub(element, "hashes")
        for h in component["hashes"]:
            _sub(hashes, "hash", h["content"], alg=h["alg"])
    if "licenses" in component:
        _licenses(_sub(element, "licenses"), component["licenses"])
    cpe = valid_cpe(component["cpe"]) if "cpe" in component else None
    if cpe is not None:
        _sub(element, "cpe", cpe)
    _texts(element, component, ["purl"])
    if "swid" in component:
        _sub(element, "swid", tagId=component["swid"]["tagId"], name=component["swid"]["name"])
    if "externalReferences" in component:
        references = _sub(element, "externalReferences")
        for reference in component["externalReferences"]:
            _sub(_sub(references, "reference", type=reference["type"]), "url", reference["url"])
    if "components" in component:  # nested ones
        _list(element, "components", component["components"], _component)


def _licenses(element: etree._Element, licenses: list[Json]) -> None:
    for choice in licenses:
        if "expression" in choice:
            _sub(element, "expression", choice["expression"])
        else:
            _texts(_sub(element, "license"), choice["license"], ["id", "name"])


def _service(parent: etree._Element, service: Json) -> None:
    attributes = {"bom-ref": service["bom-ref"]} if "bom-ref" in service else {}
    element = _sub(parent, "service", **attributes)
    if "provider" in service:
        _organization(_sub(element, "provider"), service["provider"])
    _texts(element, service, ["group", "name", "version"])
    if "endpoints" in service:
        endpoints = _sub(element, "endpoints")
        for endpoint in service["endpoints"]:
            _sub(endpoints, "endpoint", endpoint)
    _texts(element, service, ["authenticated", "x-trust-boundary"])
    if "data" in service:
        data = _sub(element, "data")
        for flow in service["data"]:
            _sub(data, "classification", flow["classification"], flow=flow["flow"])
    if "services" in service:  # nested ones
        _list(element, "services", service["services"], _service)


def _dependency(parent: etree._Element, dependency: Json) -> None:
    element = _sub(parent, "dependency", ref=dependency["ref"])
    for ref in dependency.get("dependsOn", ()):
        _sub(element, "dependency", ref=ref)
    for ref in dependency.get("provides", ()):
        _sub(element, "provides", ref=ref)


def _vulnerability(parent: etree._Element, vulnerability: Json) -> None:
    attributes = {"bom-ref": vulnerability["bom-ref"]} if "bom-ref" in vulnerability else {}
    element = _sub(parent, "vulnerability", **attributes)
    _texts(element, vulnerability, ["id"])
    if "source" in vulnerability:
        _texts(_sub(element, "source"), vulnerability["source"], ["name", "url"])
    if "ratings" in vulnerability:
        ratings = _sub(element, "ratings")
        for rating in vulnerability["ratings"]:
            rendered = _sub(ratings, "rating")
            if "source" in rating:
                _texts(_sub(rendered, "source"), rating["source"], ["name"])
            _texts(rendered, rating, ["score", "severity", "method", "vector"])
    if "cwes" in vulnerability:
        cwes = _sub(element, "cwes")
        for cwe in vulnerability["cwes"]:
            _sub(cwes, "cwe", cwe)
    _texts(element, vulnerability, ["description"])
    if "analysis" in vulnerability:
        analysis = vulnerability["analysis"]
        rendered = _sub(element, "analysis")
        _texts(rendered, analysis, ["state", "justification"])
        if "response" in analysis:
            responses = _sub(rendered, "responses")
            for response in analysis["response"]:
                _sub(responses, "response", response)
        _texts(rendered, analysis, ["detail"])
    if "affects" in vulnerability:
        affects = _sub(element, "affects")
        for affect in vulnerability["affects"]:
            target = _sub(affects, "target")
            _sub(target, "ref", affect["ref"])
            if "versions" in affect:
                versions = _sub(target, "versions")
                for version in affect["versions"]:
                    _texts(_sub(versions, "version"), version, ["version", "range", "status"])
