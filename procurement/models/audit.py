from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Table, event, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from procurement import audit_chain
from procurement.db import Base, UTCDateTime, utcnow

# The chain of events with no operator: operator ids start at 1.
NO_OPERATOR_CHAIN = 0


class AuditEvent(Base):
    """Append-only record of a change, written in the same transaction as the change.

    The migration installs triggers that refuse UPDATE and DELETE on this table on both SQLite
    and PostgreSQL, so the guarantee holds for every client, not just this code. Whoever can
    drop them (the tables' owner) is caught by the hash chain (procurement/audit_chain.py):
    ``chain_seq``, ``prev_hash`` and ``hash`` are set on insert, see :func:`seal`.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_chain", "operator_id", "chain_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    actor_name: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(32))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None] = mapped_column()
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Nullable so that a row written past the chain (raw SQL) is stored, and reported as inserted.
    chain_seq: Mapped[int | None] = mapped_column()
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The newest event of each chain (``chain`` is the operator id, 0 for no operator).

    Appending locks this row (an upsert) until the transaction ends, so two transactions never
    link to the same predecessor: on PostgreSQL the second waits for the first's commit and then
    reads its new head; SQLite has one writer at a time anyway. A deleted last event shows as a
    head that points past the end of its chain.
    """

    __tablename__ = "audit_chain_heads"

    chain: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column()
    hash: Mapped[str] = mapped_column(String(64))


# connection.info key: (the transaction, {chain: (seq, hash)}) of the heads this transaction moved.
_HEADS = "audit_chain_heads"


def _heads_held(connection: Connection) -> dict[int, tuple[int, str]]:
    """The heads the current transaction has locked and moved, as it left them. A head row
    stays locked from the first upsert until the transaction ends (one writer at a time on
    SQLite), so nobody else moves it meanwhile and the next event needs no statement to learn
    it. Kept per innermost transaction: a savepoint, or its end, starts afresh (a rolled-back
    savepoint takes its moves with it)."""
    owner = connection.get_nested_transaction() or connection.get_transaction()
    held: tuple[Any, dict[int, tuple[int, str]]] | None = connection.info.get(_HEADS)
    if held is None or held[0] is not owner:
        held = (owner, {})
        connection.info[_HEADS] = held
    return held[1]


def _advance(
    connection: Connection, chain: int, heads: dict[int, tuple[int, str]]
) -> tuple[int, str]:
    """Take the next sequence number of ``chain`` (locking its head row); its previous hash."""
    if chain in heads:
        seq, prev_hash = heads[chain]
        return seq + 1, prev_hash
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = cast(Table, AuditChainHead.__table__)
    stmt = dialect.insert(table).values(chain=chain, seq=1, hash=audit_chain.GENESIS)
    stmt = stmt.on_conflict_do_update(index_elements=["chain"], set_={"seq": table.c.seq + 1})
    row = connection.execute(stmt.returning(table.c.seq, table.c.hash)).one()
    return int(row.seq), str(row.hash)


def _link(connection: Connection, values: dict[str, Any], heads: dict[int, tuple[int, str]]) -> int:
    """Give the event ``values`` its place in its chain and its hash; returns the chain, whose
    head in ``heads`` is now this event (not yet stored)."""
    values["occurred_at"] = values.get("occurred_at") or utcnow()
    values["before"] = audit_chain.as_stored_json(values.get("before"))
    values["after"] = audit_chain.as_stored_json(values.get("after"))
    operator_id = values.get("operator_id")
    chain = NO_OPERATOR_CHAIN if operator_id is None else operator_id
    seq, prev_hash = _advance(connection, chain, heads)
    fields = audit_chain.EventFields(
        occurred_at=values["occurred_at"],
        actor_token_id=values.get("actor_token_id"),
        actor_name=values["actor_name"],
        actor_role=values["actor_role"],
        operator_id=operator_id,
        action=values["action"],
        object_type=values["object_type"],
        object_id=values.get("object_id"),
        before=values["before"],
        after=values["after"],
    )
    values.update(chain_seq=seq, prev_hash=prev_hash)
    values["hash"] = audit_chain.event_hash(fields, seq, prev_hash)
    heads[chain] = (seq, values["hash"])
    return chain


def _store_heads(
    connection: Connection, chains: set[int], heads: dict[int, tuple[int, str]]
) -> None:
    table = cast(Table, AuditChainHead.__table__)
    for chain in sorted(chains):
        seq, head_hash = heads[chain]
        connection.execute(
            update(table).where(table.c.chain == chain).values(seq=seq, hash=head_hash)
        )


def seal(connection: Connection, values: dict[str, Any]) -> None:
    """Give the event ``values`` (column name -> value) its place in its operator's chain and its
    hash, and move the chain's head to it, inside the caller's transaction."""
    seal_all(connection, [values])


def seal_all(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """:func:`seal` each row in turn, storing each chain's head once, at the last of its rows."""
    heads = _heads_held(connection)
    chains = {_link(connection, values, heads) for values in rows}
    _store_heads(connection, chains, heads)


_SEALED = ("occurred_at", "before", "after", "chain_seq", "prev_hash", "hash")


@event.listens_for(AuditEvent, "before_insert")
def _seal_on_insert(_mapper: Mapper[Any], connection: Connection, target: AuditEvent) -> None:
    # Every ORM insert, whoever makes it; bulk Core inserts call seal() themselves.
    columns = ("actor_token_id", "actor_name", "actor_role", "operator_id", "action")
    values = {name: getattr(target, name) for name in (*columns, *_SEALED)}
    values |= {"object_type": target.object_type, "object_id": target.object_id}
    seal(connection, values)
    for name in _SEALED:
        setattr(target, name, values[name])
