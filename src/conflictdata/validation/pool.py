"""The worker pool of a full run: the files are checked in chunks by forked workers,
each given the same per-file function, and the results come back in order.

Forking (not spawning) lets the workers share what the parent already read (the
gazetteer, the index of IDs) without copying or pickling it; ``gc.freeze`` keeps the
collector from touching, and so copying, those shared pages.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items a run stays in one process.
PARALLEL_THRESHOLD = 400
#: In one process, ``each`` sees the results this many items at a time.
SERIAL_CHUNK = 500

_WORKER: dict = {}


def _work(chunk: list) -> list:
    return _WORKER["chunk_fn"](chunk)


def map_chunks(
    chunk_fn: Callable[[list[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    each: Callable[[list[R]], None] | None = None,
) -> list[R]:
    """``chunk_fn`` over ``items`` in chunks, in this process or in ``jobs`` forked
    workers, keeping their order. ``chunk_fn`` takes a list of items and returns one
    result per item; it is inherited by the forked workers, so it may be a closure.
    ``each``, when given, sees every chunk's results in this process as they arrive, in
    order, before they are kept (a build spills what it does not need to keep)."""
    import multiprocessing  # only a full run forks workers

    items = list(items)
    if (
        jobs <= 1
        or len(items) < PARALLEL_THRESHOLD
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        if each is None:
            return chunk_fn(items)
        out: list = []
        for i in range(0, len(items), SERIAL_CHUNK):
            part = chunk_fn(items[i : i + SERIAL_CHUNK])
            each(part)
            out.extend(part)
        return out
    _WORKER["chunk_fn"] = chunk_fn
    size = max(50, min(500, len(items) // (jobs * 8) or 1))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    ctx = multiprocessing.get_context("fork")
    gc.freeze()  # the parent's objects are shared with the workers, not copied or scanned
    try:
        with ctx.Pool(jobs) as pool:
            out: list = []
            for part in pool.imap(_work, chunks):
                if each is not None:
                    each(part)
                out.extend(part)
    finally:
        gc.unfreeze()
        _WORKER.clear()
    return out


def default_jobs() -> int:
    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )
