"""An OSV dump uploaded over HTTP and waiting for its import job (issue 14).

The request stores the body here, in the transaction that enqueues the job, and answers at once;
the job reads it back and deletes it when its import commits, so a stored upload is one whose
job has not succeeded (queued, running, or FAILED and kept for a look or a new upload).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, UTCDateTime, utcnow


class AdvisoryUpload(Base):
    __tablename__ = "advisory_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # what the report calls the dump
    # The body as sent, gzip-compressed when it is JSON (a zip is compressed already).
    content: Mapped[bytes] = mapped_column(LargeBinary)
    gzipped: Mapped[bool] = mapped_column(Boolean)
    size: Mapped[int] = mapped_column(Integer)  # bytes as uploaded
    uploaded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
