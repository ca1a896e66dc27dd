"""What an SBOM upload leaves behind, released when its caller chooses (issue 14).

Reading a document builds hundreds of thousands of objects (the rows of a 10,000-component
upload), which stay alive with the cyclic collector paused until they are dropped (see
:func:`procurement.sboms.actions.store_prepared`). Dropping them, and for a large document
collecting and handing the heap back (:func:`procurement.memory.release_memory`), costs tens of
milliseconds at 10,000 components and far more at 100,000. None of it is needed for the answer:
the web route releases after its response is sent, so the uploader waits only until the commit;
other callers release at once.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable

from procurement.memory import LARGE_DOCUMENT_BYTES, release_memory


class Aftermath:
    """Holds what an ingest built, with the collector paused, until :meth:`release`."""

    def __init__(self) -> None:
        self._held: list[object] = []
        self._steps: list[Callable[[], Awaitable[None]]] = []
        self._resume_gc = False
        self._trim = False

    def pause_gc(self) -> None:
        """Pause the cyclic collector until release; only a pause made here is resumed there,
        so a pause already in force (another upload's) is left to its owner."""
        if gc.isenabled():
            gc.disable()
            self._resume_gc = True

    def hold(self, value: object) -> None:
        self._held.append(value)

    def then(self, step: Callable[[], Awaitable[None]]) -> None:
        """Run ``step`` at release, after what is held is dropped (e.g. the deferred WAL
        checkpoint of :mod:`procurement.sboms.checkpoint`)."""
        self._steps.append(step)

    def note_document(self, size: int) -> None:
        """A document of ``size`` bytes was read: a large one leaves the heap worth trimming."""
        if size >= LARGE_DOCUMENT_BYTES:
            self._trim = True

    async def release(self) -> None:
        """Drop what is held, resume the collector if paused here, trim a large document's heap,
        then run the steps given to :meth:`then`. Idempotent: a second call does nothing."""
        self._held.clear()  # before the collector resumes: it then finds nothing of them to scan
        steps, self._steps = self._steps, []
        try:
            if self._resume_gc:
                self._resume_gc = False
                gc.enable()
            if self._trim:
                self._trim = False
                await asyncio.to_thread(release_memory)
        finally:
            for step in steps:
                await step()
