from __future__ import annotations

from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, UTCDateTime, utcnow
from procurement.enums import Role


class ApiToken(Base):
    """A bearer token. Only the SHA-256 of the secret is stored; the secret is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"), index=True)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"), index=True)
    # First characters of the secret, so people can tell their tokens apart in listings.
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None: never expires (only when asked for explicitly). Checked on every request.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Updated at most every few minutes, so reads do not each become a write.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The person the token was made for (None for tokens made before accounts, and machines').
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
