"""Where analysis batches run: in this process, or on a Dask cluster.

``make_executor(workers, scheduler)`` gives an object with ``map_ordered(fn, model, batches)``
that yields each batch's result in order. In-process execution needs nothing; with several
workers a local Dask cluster of processes is started (one thread each, so that the embedding
model's own threads do not compete), or an existing cluster is used through its scheduler
address. The model is sent to every worker once; at most two batches per worker are in flight,
so memory stays flat however long the stream of batches is.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from exitlens.errors import ExitLensError

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    description: str

    def map_ordered(self, fn: Callable[[Any, T], R], shared: Any,
                    batches: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None: ...


class InProcess:
    description = "in this process"

    def map_ordered(self, fn: Callable[[Any, T], R], shared: Any,
                    batches: Iterable[T]) -> Iterator[R]:
        for batch in batches:
            yield fn(shared, batch)

    def close(self) -> None:
        return None


class DaskExecutor:
    """Batches as Dask tasks, results in submission order, a bounded number in flight."""

    def __init__(self, workers: int = 0, scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise ExitLensError("Dask is not installed: pip install 'distributed'") from exc
        self.cluster: Any = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                            processes=True, dashboard_address=None,
                                            silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except OSError as exc:
            if not scheduler:
                raise ExitLensError(f"could not start a local Dask cluster: {exc}; run with "
                                    "--workers 1") from exc
            raise ExitLensError(f"could not reach the Dask scheduler {scheduler!r}: {exc}; "
                                "check the address, or leave out --scheduler to run "
                                "locally") from exc
        count = len(self.client.scheduler_info().get("workers", {}))
        self.slots = max(1, count) * 2
        where = scheduler or "a local Dask cluster"
        self.description = f"on {count} Dask worker{'s' if count != 1 else ''} of {where}"

    def map_ordered(self, fn: Callable[[Any, T], R], shared: Any,
                    batches: Iterable[T]) -> Iterator[R]:
        # hash=False: a key of its own, so that releasing an earlier call's copy of the
        # same object cannot drop this one
        [remote] = self.client.scatter([shared], broadcast=True, hash=False)
        pending: deque[Any] = deque()
        try:
            for batch in batches:
                pending.append(self.client.submit(fn, remote, batch, pure=False))
                if len(pending) >= self.slots:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _result(future: Any) -> Any:
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        raise ExitLensError("a Dask worker died while analysing a batch (out of memory?); the "
                            "batches stored so far are kept and nothing of the failed one was "
                            "written: run again with fewer --workers") from exc


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def make_executor(workers: int | None, scheduler: str | None) -> Executor:
    """``workers`` 1 (or None): this process; n > 1: a local Dask cluster of n processes;
    0: one process per core. ``scheduler``: use that Dask cluster instead."""
    if scheduler:
        return DaskExecutor(scheduler=scheduler)
    if workers is not None and workers < 0:
        raise ExitLensError(f"--workers must be 0 (one per core) or more, not {workers}")
    if workers == 0:
        workers = cpu_count()
    return InProcess() if not workers or workers <= 1 else DaskExecutor(workers=workers)
