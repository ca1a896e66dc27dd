"""Giving memory back to the operating system after a large document was read.

Reading a large SBOM makes millions of small objects. Once they are freed CPython keeps the
memory in its own pools and glibc's heap, so the server's resident size stayed at over a gigabyte
after one large upload (issue 11). A collection, then glibc's ``malloc_trim``, returns it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
from collections.abc import Callable

# Below this size a document leaves too little behind to be worth a full collection.
LARGE_DOCUMENT_BYTES = 8 * 1024 * 1024


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None elsewhere (musl, macOS): there nothing is trimmed."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_memory() -> bool:
    """Collect garbage and hand free heap pages back; True if glibc trimmed anything.

    Blocking (a full collection and a walk of the heap): call it from a worker thread. ctypes
    releases the GIL during the trim itself.
    """
    gc.collect()
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
