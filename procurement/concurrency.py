"""Refusing the loser of two changes to one row made at the same time.

Rows that carry a state (review cases, agreements) have an optimistic version column
(``version_id_col``): every UPDATE checks the version its request read, and SQLAlchemy raises
StaleDataError when another request changed the row in between. An action wrapped by
:func:`refuse_concurrent_change` turns that into a CONFLICT input error naming the row's state
now, after rolling back, so nothing of the loser is written and the client can reload and retry.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm.exc import StaleDataError

from procurement.errors import ErrorCode, InputError

P = ParamSpec("P")
R = TypeVar("R")


def refuse_concurrent_change(
    what: str, id_argument: str, state: InstrumentedAttribute[Any], key: InstrumentedAttribute[int]
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Wrap an action ``(session, principal, <id_argument>, ...)`` that changes one ``what``."""

    def wrap(action: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(action)
        async def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return await action(*args, **kwargs)
            except StaleDataError:
                session = args[0]
                assert isinstance(session, AsyncSession)
                row_id = kwargs.get(id_argument, args[2] if len(args) > 2 else None)
                await session.rollback()
                now = await session.scalar(select(state).where(key == row_id))
                raise InputError.single(
                    None,
                    f"the {what} was changed by another request at the same moment and is now "
                    f"{now}; nothing was saved: reload it and try again",
                    ErrorCode.CONFLICT,
                ) from None

        return checked

    return wrap
