"""Seeded templates: the migrated template with seed data (the test world, the demo data set)
loaded once per worker and backend, then copied for each test that takes those seeds.

Building the world through the services costs about a second per test and the demo several; a
copy costs a file copy (SQLite) or one ``CREATE DATABASE ... TEMPLATE`` (PostgreSQL), which a
test paid for anyway. A copy holds the same rows and ids as loading the seeds in the test.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.databases import fill_template

Seed = Callable[[AsyncSession], Awaitable[Any]]


@dataclass(frozen=True)
class Seeded:
    template: str  # SQLite: the file's path; PostgreSQL: the database's name
    values: dict[str, Any] = field(default_factory=dict)  # what each seed returned, by name


class SeededTemplates:
    """The seeded templates of one backend, each built on first use."""

    def __init__(
        self,
        backend: str,
        base: str,
        seeds: Mapping[str, Seed],
        create: Callable[[str], tuple[str, str]],
        drop: Callable[[str], None] | None = None,
    ) -> None:
        """``create(label)`` copies ``base`` and returns the copy's (template, url);
        ``drop(template)`` removes one when the session ends (PostgreSQL only)."""
        self.backend = backend
        self.base = base
        self._seeds = seeds
        self._create = create
        self._drop = drop
        self._built: dict[tuple[str, ...], Seeded] = {}

    def get(self, names: tuple[str, ...]) -> Seeded:
        """The template with the seeds ``names`` loaded in that order."""
        if not names:
            return Seeded(self.base)
        if names not in self._built:
            template, url = self._create("_".join(names))
            values = fill_template(self.backend, url, self._loader(names))
            self._built[names] = Seeded(template, values)
        return self._built[names]

    def _loader(self, names: tuple[str, ...]) -> Seed:
        async def load(session: AsyncSession) -> dict[str, Any]:
            return {name: await self._seeds[name](session) for name in names}

        return load

    def close(self) -> None:
        if self._drop is not None:
            for seeded in self._built.values():
                self._drop(seeded.template)
        self._built.clear()
