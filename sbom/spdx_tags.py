"""The SPDX 2.2/2.3 tag-value tags and the JSON properties they stand for (spec clauses 6-12).

A tag belongs to a section: the document (anywhere), or the package, file, snippet or extracted
licence that the last ``PackageName``/``FileName``/``SnippetSPDXID``/``LicenseID`` opened.
``SPDXID`` names whichever is open (the document before any). Tags that take structured values
(checksums, references, relationships, ranges...) have a kind the converter parses.
"""

from __future__ import annotations

from typing import Literal

Section = Literal["document", "package", "file", "snippet", "license"]
# str: one value; list: repeatable; bool: true/false; anything else: parsed by the converter.
Kind = Literal[
    "str",
    "list",
    "bool",
    "checksum",
    "external_ref",
    "external_ref_comment",
    "verification_code",
    "external_document_ref",
    "range_offset",
    "range_line",
    "artifact",
]
Target = tuple[Section, tuple[str, ...], Kind]

# Tags that open a new element of a section, and the JSON array that holds them.
OPENERS: dict[str, tuple[Section, str, str]] = {
    "PackageName": ("package", "packages", "name"),
    "FileName": ("file", "files", "fileName"),
    "SnippetSPDXID": ("snippet", "snippets", "SPDXID"),
    "LicenseID": ("license", "hasExtractedLicensingInfos", "licenseId"),
}

_DOCUMENT: dict[str, tuple[tuple[str, ...], Kind]] = {
    "SPDXVersion": (("spdxVersion",), "str"),
    "DataLicense": (("dataLicense",), "str"),
    "DocumentName": (("name",), "str"),
    "DocumentNamespace": (("documentNamespace",), "str"),
    "DocumentComment": (("comment",), "str"),
    "ExternalDocumentRef": (("externalDocumentRefs",), "external_document_ref"),
    "LicenseListVersion": (("creationInfo", "licenseListVersion"), "str"),
    "Creator": (("creationInfo", "creators"), "list"),
    "Created": (("creationInfo", "created"), "str"),
    "CreatorComment": (("creationInfo", "comment"), "str"),
}
_PACKAGE: dict[str, tuple[tuple[str, ...], Kind]] = {
    "PackageVersion": (("versionInfo",), "str"),
    "PackageFileName": (("packageFileName",), "str"),
    "PackageSupplier": (("supplier",), "str"),
    "PackageOriginator": (("originator",), "str"),
    "PackageDownloadLocation": (("downloadLocation",), "str"),
    "FilesAnalyzed": (("filesAnalyzed",), "bool"),
    "PackageVerificationCode": (("packageVerificationCode",), "verification_code"),
    "PackageChecksum": (("checksums",), "checksum"),
    "PackageHomePage": (("homepage",), "str"),
    "PackageSourceInfo": (("sourceInfo",), "str"),
    "PackageLicenseConcluded": (("licenseConcluded",), "str"),
    "PackageLicenseInfoFromFiles": (("licenseInfoFromFiles",), "list"),
    "PackageLicenseDeclared": (("licenseDeclared",), "str"),
    "PackageLicenseComments": (("licenseComments",), "str"),
    "PackageCopyrightText": (("copyrightText",), "str"),
    "PackageSummary": (("summary",), "str"),
    "PackageDescription": (("description",), "str"),
    "PackageComment": (("comment",), "str"),
    "ExternalRef": (("externalRefs",), "external_ref"),
    "ExternalRefComment": (("externalRefs",), "external_ref_comment"),
    "PackageAttributionText": (("attributionTexts",), "list"),
    "PrimaryPackagePurpose": (("primaryPackagePurpose",), "str"),
    "ReleaseDate": (("releaseDate",), "str"),
    "BuiltDate": (("builtDate",), "str"),
    "ValidUntilDate": (("validUntilDate",), "str"),
}
_FILE: dict[str, tuple[tuple[str, ...], Kind]] = {
    "FileType": (("fileTypes",), "list"),
    "FileChecksum": (("checksums",), "checksum"),
    "LicenseConcluded": (("licenseConcluded",), "str"),
    "LicenseInfoInFile": (("licenseInfoInFiles",), "list"),
    "LicenseComments": (("licenseComments",), "str"),
    "FileCopyrightText": (("copyrightText",), "str"),
    "FileComment": (("comment",), "str"),
    "FileNotice": (("noticeText",), "str"),
    "FileContributor": (("fileContributors",), "list"),
    "FileAttributionText": (("attributionTexts",), "list"),
    "FileDependency": (("fileDependencies",), "list"),
    "ArtifactOfProjectName": (("artifactOfs", "name"), "artifact"),
    "ArtifactOfProjectHomePage": (("artifactOfs", "homePage"), "artifact"),
    "ArtifactOfProjectURI": (("artifactOfs", "projectUri"), "artifact"),
}
_SNIPPET: dict[str, tuple[tuple[str, ...], Kind]] = {
    "SnippetFromFileSPDXID": (("snippetFromFile",), "str"),
    "SnippetByteRange": (("ranges",), "range_offset"),
    "SnippetLineRange": (("ranges",), "range_line"),
    "SnippetLicenseConcluded": (("licenseConcluded",), "str"),
    "LicenseInfoInSnippet": (("licenseInfoInSnippets",), "list"),
    "SnippetLicenseComments": (("licenseComments",), "str"),
    "SnippetCopyrightText": (("copyrightText",), "str"),
    "SnippetComment": (("comment",), "str"),
    "SnippetName": (("name",), "str"),
    "SnippetAttributionText": (("attributionTexts",), "list"),
}
_LICENSE: dict[str, tuple[tuple[str, ...], Kind]] = {
    "ExtractedText": (("extractedText",), "str"),
    "LicenseName": (("name",), "str"),
    "LicenseCrossReference": (("seeAlsos",), "list"),
    "LicenseComment": (("comment",), "str"),
}

SECTION_TAGS: dict[Section, dict[str, tuple[tuple[str, ...], Kind]]] = {
    "document": _DOCUMENT,
    "package": _PACKAGE,
    "file": _FILE,
    "snippet": _SNIPPET,
    "license": _LICENSE,
}
# Relationships, annotations and reviews stand on their own, wherever they appear.
RELATIONSHIP_TAGS = frozenset({"Relationship", "RelationshipComment"})
ANNOTATION_TAGS = {
    "Annotator": "annotator",
    "AnnotationDate": "annotationDate",
    "AnnotationType": "annotationType",
    "AnnotationComment": "comment",
    "SPDXREF": "",  # the annotated element: decides where the annotation goes
}
REVIEW_TAGS = {"Reviewer": "reviewer", "ReviewDate": "reviewDate", "ReviewComment": "comment"}

# The JSON arrays of each section, to name the tag behind a property in an error message.
SECTION_OF_ARRAY: dict[str, Section] = {array: section for section, array, _ in OPENERS.values()}


def tag_for(section: Section, json_property: str) -> str | None:
    """The tag that writes ``json_property`` in ``section`` (for messages), if there is one."""
    for tag, (opened, _, key) in OPENERS.items():
        if opened == section and key == json_property:
            return tag
    if json_property == "SPDXID":
        return "SPDXID"
    for tag, (path, _) in SECTION_TAGS[section].items():
        if path[-1] == json_property:
            return tag
    return "Creator and Created" if json_property == "creationInfo" else None
