"""Refusing the loser of two changes to one row made at the same time.

Rows that carry a state (review cases, agreements) have an optimistic version column
(``version_id_col``): every UPDATE checks the version its request read, and SQLAlchemy raises
StaleDataError when another request changed the row in between. An action wrapped by
:func:`refuse_concurrent_change` turns that into a CONFLICT input error naming the row's state
now, after rolling back, so nothing of the loser is written and the client can reload and retry.
A client that sends the version it edited (``expectedVersion``) is refused the same way by
:func:`check_expected_version` when the row has changed since it read it.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm.exc import StaleDataError

from procurement.errors import ErrorCode, FieldError, InputError
from procurement.input_messages import TEMPLATES, object_name
from procurement.texts import Text

P = ParamSpec("P")
R = TypeVar("R")


def refuse_concurrent_change(
    what: str,
    id_argument: str,
    state: InstrumentedAttribute[Any],
    key: InstrumentedAttribute[int],
    *,
    describe: Callable[[Any], str | Text] = str,
    id_from: Callable[[Any], Any] | None = None,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Wrap an action ``(session, principal, <id_argument>, ...)`` that changes one ``what``.

    ``describe`` words the row's ``state`` now (its version, for rows without a state);
    ``id_from`` takes the row id out of the argument when the argument is an input object.
    """

    def wrap(action: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(action)
        async def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return await action(*args, **kwargs)
            except StaleDataError:
                session = args[0]
                assert isinstance(session, AsyncSession)
                row_id = kwargs.get(id_argument, args[2] if len(args) > 2 else None)
                if id_from is not None:
                    row_id = id_from(row_id)
                await session.rollback()
                now = await session.scalar(select(state).where(key == row_id))
                changed = Text(
                    "input.changed_meanwhile", {"what": object_name(what), "now": describe(now)}
                )
                raise InputError(
                    [FieldError.said(None, changed, ErrorCode.CONFLICT, TEMPLATES)]
                ) from None

        return checked

    return wrap


def at_version(version: Any) -> Text:
    return Text("input.at_version", {"version": int(version)})


def check_expected_version(
    what: str, current: int, expected: int | None, field: str = "expectedVersion"
) -> None:
    """Refuse an edit made from a copy of the row older than the stored one (a lost update)."""
    if expected is not None and expected != current:
        stale = Text(
            "input.stale_version",
            {"what": object_name(what), "current": current, "expected": expected},
        )
        raise InputError([FieldError.said(field, stale, ErrorCode.CONFLICT, TEMPLATES)])
