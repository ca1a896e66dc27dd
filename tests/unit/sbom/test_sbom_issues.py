"""The one plain shape of an SBOM issue, as stored with a version and sent to clients."""

from __future__ import annotations

import orjson

from sbom import IssueCode, SbomIssue


def test_an_issue_is_one_plain_dict_with_its_code_as_text() -> None:
    # given a warning at a JSON Pointer and a rejection of the whole document
    warning = SbomIssue(IssueCode.INVALID_PURL, "invalid package URL 'x'", "/components/3/purl")
    rejection = SbomIssue(IssueCode.EMPTY, "the document is empty")
    # when turned into plain values
    plain = [warning.as_dict(), rejection.as_dict()]
    # then each has the code, message and location, and serialises as clients read it
    assert plain == [
        {
            "code": "INVALID_PURL",
            "message": "invalid package URL 'x'",
            "location": "/components/3/purl",
        },
        {"code": "EMPTY", "message": "the document is empty", "location": None},
    ]
    assert type(plain[0]["code"]) is str
    assert (
        orjson.dumps(plain[1])
        == b'{"code":"EMPTY","message":"the document is empty","location":null}'
    )
