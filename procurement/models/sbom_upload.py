"""An SBOM upload too large to ingest inside its request, waiting for its ingest job (issue 14).

The request stores the document here, in the transaction that enqueues the job, and answers at
once (202); the job reads it back, ingests it and deletes it in its one transaction, so a stored
upload is one whose job has not succeeded (queued, running, or FAILED and kept for a look).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, UTCDateTime, utcnow


class SbomUpload(Base):
    __tablename__ = "sbom_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("purchases.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(500))  # the uploader's series name, if given
    # The document, gzip-compressed (as sent when it came gzip, else compressed on arrival).
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)  # bytes of the document, uncompressed
    uploaded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
