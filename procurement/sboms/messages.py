"""The SBOM readers' refusals as console messages (pure): the ``sbom`` package words each refusal
it can by a key of its own catalog (sbom/messages.py, which imports nothing of the project);
here the keys become message ids of the console's catalog (``sbom.<key>``)."""

from __future__ import annotations

from collections.abc import Mapping

from procurement.texts import Text
from sbom.errors import SbomIssue
from sbom.messages import MESSAGES

TEMPLATES: Mapping[str, str] = {f"sbom.{key}": template for key, template in MESSAGES.items()}


def issue_text(issue: SbomIssue) -> Text | None:
    """The issue as a message id and parameters; None where the reader had only English."""
    if issue.key is None:
        return None
    return Text(f"sbom.{issue.key}", dict(issue.params))
