"""Map a function over items on local worker processes or a Dask cluster.

The executor behind :mod:`photosc.sweeps` (grid points of a scenario) and the
depth-resolved film of :mod:`photosc.models.pump_probe` (one kinetic run per slice):

* local: a :class:`concurrent.futures.ProcessPoolExecutor` with ``workers`` processes
  (default :func:`default_workers`: one per item below :data:`OVERSUBSCRIBE` items per
  core, else one per core); ``workers <= 1`` runs in-process, in order;
* Dask: ``scheduler`` is the address of a running ``distributed`` scheduler
  (``tcp://host:port``); the items become tasks of that cluster.

In a worker, BLAS/OpenMP pools are limited to one thread (threadpoolctl): one
thread per process avoids oversubscribed, spin-waiting BLAS threads. The worker is
marked (:func:`in_worker`), so that a function that itself calls
:func:`parallel_map` -- a scenario with slices run as one point of a sweep -- runs its
items in-process instead of starting a pool inside a pool.

Local workers die with their parent: a sweep killed by SIGTERM or SIGKILL (a batch
system, the OOM killer) leaves no orphaned worker running (Linux: ``PR_SET_PDEATHSIG``;
everywhere: a watchdog thread that exits the worker when its parent is gone).

A Dask scheduler that cannot be reached, or that has no workers, is reported as a
:class:`~photosc.errors.PhotoscError` after a short time-out
(``PHOTOSC_DASK_CONNECT_TIMEOUT``, default 10 s; ``PHOTOSC_DASK_WORKER_TIMEOUT``,
default 60 s) instead of a traceback or a silent wait.

``fn`` and the items must be picklable (a module-level function, or a
:func:`functools.partial` of one). Results are returned in the order of the items
(:func:`parallel_map`), or as they complete together with their index
(:func:`parallel_imap` with ``ordered=False``, for callers that store results as they
arrive, like the resumable sweeps).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from photosc.errors import PhotoscError
from photosc.foundation.progress import progress

__all__ = [
    "WORKER_ENV",
    "default_workers",
    "in_worker",
    "parallel_imap",
    "parallel_map",
    "parallel_map_warned",
]

T = TypeVar("T")
R = TypeVar("R")

#: Environment variable set to "1" in local worker processes (and honoured if set by
#: the user): :func:`parallel_map` then runs in-process.
WORKER_ENV = "PHOTOSC_IN_WORKER"

_local = threading.local()


def in_worker() -> bool:
    """Whether this code runs inside a :func:`parallel_map` worker (process or Dask task)."""
    return os.environ.get(WORKER_ENV, "") == "1" or getattr(_local, "depth", 0) > 0


#: Fewer items than this many per core (but more than one): one process per item, so
#: that the cores share the work until the last item ends instead of one core running
#: the last round alone (issue 16: three sweep points of equal cost on two cores took
#: two rounds, 2 t; one process each, 1.5 t: pump-probe-pb-escape 66 -> 48 s). From two
#: items per core on, one process per core: more processes than cores then cost more
#: than the last round's idle core (eight Pb points: 13 % more CPU time, no faster).
OVERSUBSCRIBE = 2


def default_workers(n_items: int) -> int:
    """Worker processes for ``n_items`` items (1 inside a worker: no nested pools).

    One per item below :data:`OVERSUBSCRIBE` items per core (the operating system then
    shares the cores among them; at most as many as half the available memory holds at
    this process's size), otherwise one per core.
    """
    if in_worker():
        return 1
    cores = os.cpu_count() or 1
    if n_items >= OVERSUBSCRIBE * cores:
        return cores
    return max(1, min(n_items, max(cores, _processes_in_memory())))


def _processes_in_memory() -> int:
    """How many processes of this one's peak resident size fit in half the available
    memory (a forked worker shares the parent's pages, so this is an upper bound on
    its need); a large number where the sizes are unknown."""
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, ValueError, OSError, AttributeError):  # pragma: no cover
        return 1 << 16
    return int(free // max(2 * rss, 1))


#: Seconds between two checks of the worker's watchdog for its parent.
WATCHDOG_INTERVAL_S = 0.5


def _die_with_parent(parent_pid: int) -> None:
    """Make this process exit when ``parent_pid`` (the process that started it) dies.

    Linux: the kernel sends SIGKILL on the parent's death (``prctl(PR_SET_PDEATHSIG)``).
    Everywhere: a daemon thread polls ``os.getppid()`` and exits the process when it
    changes (the worker was re-parented) or when the parent no longer exists.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: watchdog only
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_INTERVAL_S)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="photosc-parent-watchdog", daemon=True).start()


#: Thread-count variables of the BLAS / OpenMP runtimes, read when a library loads.
_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _mark_process(parent_pid: int | None = None) -> None:
    """ProcessPoolExecutor initializer: the whole process is a worker with single-thread
    BLAS / OpenMP (the runtimes already loaded are limited now, those loaded later read
    the environment), and it dies with its parent (:func:`_die_with_parent`).

    Limiting once per worker process replaces a ``threadpool_limits`` context around
    every task: that context scans the loaded libraries (1.7 ms a task), which was most of
    the cost of the 4096 cheap tasks of the metastability-diagram sweep (issue 16)."""
    from threadpoolctl import threadpool_limits

    os.environ[WORKER_ENV] = "1"
    for var in _THREAD_ENV:
        os.environ[var] = "1"
    threadpool_limits(limits=1)
    if parent_pid is not None:
        _die_with_parent(parent_pid)


def _call_local(fn: Callable[[T], R], item: T) -> R:
    """Run ``fn(item)`` in a local worker process (single-thread BLAS already, from
    :func:`_mark_process`), marked as a worker task."""
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        return fn(item)
    finally:
        _local.depth -= 1


def _call(fn: Callable[[T], R], item: T) -> R:
    """Run ``fn(item)`` as a Dask task: single-thread BLAS, marked as a worker."""
    from threadpoolctl import threadpool_limits

    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        with threadpool_limits(limits=1):
            return fn(item)
    finally:
        _local.depth -= 1


def parallel_imap(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    desc: str | None = None,
    ordered: bool = True,
) -> Iterator[tuple[int, R]]:
    """Yield ``(index, fn(items[index]))``, in order or as the results complete.

    Parameters
    ----------
    fn : callable
        ``fn(item) -> result``; picklable for processes or Dask.
    items : iterable
        The inputs (picklable).
    workers : int, optional
        Local worker processes; default :func:`default_workers`. ``<= 1``: in-process,
        in order, without thread limits.
    scheduler : str, optional
        Dask distributed scheduler address; the items run as tasks there (``workers``
        is then ignored).
    desc : str, optional
        Progress-bar label (:func:`photosc.foundation.progress.progress`); None: no bar.
    ordered : bool
        True: yield in the order of ``items``; False: as results complete.

    Notes
    -----
    Inside a worker (:func:`in_worker`) the items always run in-process (no pool in a
    pool, no nested Dask client). An exception of ``fn`` is raised here; pending
    local tasks are cancelled.
    """
    seq = list(items)
    n_items = len(seq)
    if not n_items:
        return
    nested = in_worker()
    n = workers if workers is not None else default_workers(n_items)
    if nested:
        n, scheduler = 1, None
    if scheduler:
        it = _dask(fn, seq, scheduler, ordered)
    elif n <= 1:
        it = ((i, fn(x)) for i, x in enumerate(seq))
    else:
        it = _local_pool(fn, seq, min(n, n_items), ordered)
    if desc is not None:
        it = progress(it, desc=desc, total=n_items)
    yield from it


def parallel_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    desc: str | None = None,
) -> list[R]:
    """``[fn(x) for x in items]`` on local processes or Dask, results in item order.

    Parameters as :func:`parallel_imap`.
    """
    return [r for _, r in parallel_imap(fn, items, workers=workers, scheduler=scheduler, desc=desc)]


def _local_pool(fn: Callable, seq: list, n: int, ordered: bool) -> Iterator[tuple[int, Any]]:
    pool = ProcessPoolExecutor(max_workers=n, initializer=_mark_process, initargs=(os.getpid(),))
    try:
        futures = {pool.submit(_call_local, fn, x): i for i, x in enumerate(seq)}
        if ordered:
            for fut, i in futures.items():
                yield i, fut.result()
        else:
            for fut in as_completed(futures):
                yield futures[fut], fut.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _timeout(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _dask(fn: Callable, seq: list, scheduler: str, ordered: bool) -> Iterator[tuple[int, Any]]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    connect_s = _timeout("PHOTOSC_DASK_CONNECT_TIMEOUT", 10.0)
    workers_s = _timeout("PHOTOSC_DASK_WORKER_TIMEOUT", 60.0)
    try:
        client = Client(scheduler, timeout=connect_s)
    except (OSError, TimeoutError) as exc:
        raise PhotoscError(
            f"cannot reach the Dask scheduler at {scheduler!r} within {connect_s:g} s "
            f"({type(exc).__name__}: {exc}); is it running? (set PHOTOSC_DASK_CONNECT_TIMEOUT "
            "to wait longer)"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=workers_s)
        except (TimeoutError, OSError):
            raise PhotoscError(
                f"the Dask scheduler at {scheduler!r} has no workers (waited {workers_s:g} s); "
                "start workers (dask worker ADDRESS) or set PHOTOSC_DASK_WORKER_TIMEOUT"
            ) from None
        futures = client.map(_call, [fn] * len(seq), seq, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        if ordered:
            for i, fut in enumerate(futures):
                yield i, fut.result()
        else:
            for fut in dask_completed(futures):
                yield index[fut.key], fut.result()


def _warned_call(fn: Callable[[T], R], item: T) -> tuple[R, list[tuple[str, type]]]:
    """``fn(item)`` and the (message, category) of every warning it issued."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(item)
    return out, [(str(w.message), w.category) for w in caught]


def parallel_map_warned(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    desc: str | None = None,
) -> list[R]:
    """:func:`parallel_map`, with the warnings ``fn`` issues re-issued in the caller.

    A warning issued in a worker process or a Dask task would otherwise be lost (the
    runner records a run's warnings in its result); here every item's warnings are
    recorded where it runs and issued again, in item order, once all items are done.
    Parameters as :func:`parallel_imap`.
    """
    import functools
    import warnings

    pairs = parallel_map(
        functools.partial(_warned_call, fn), items, workers=workers, scheduler=scheduler,
        desc=desc,
    )  # fmt: skip
    for _, caught in pairs:
        for message, category in caught:
            warnings.warn(message, category, stacklevel=2)
    return [out for out, _ in pairs]
