"""parallel_map / parallel_imap: order, single-thread BLAS in workers, no nested pools."""

from __future__ import annotations

import functools
import math
import os

import numpy as np
import pytest

from photosc.foundation.parallel import (
    WORKER_ENV,
    default_workers,
    in_worker,
    parallel_imap,
    parallel_map,
    parallel_map_warned,
)


def _square(x: float) -> float:
    return x * x


def _worker_view(x: int) -> tuple[int, int, bool, int]:
    """(x, pid, in_worker, largest BLAS/OpenMP pool size) seen by the task."""
    from threadpoolctl import threadpool_info

    threads = max((p["num_threads"] for p in threadpool_info()), default=1)
    return x, os.getpid(), in_worker(), threads


def _nested(x: int) -> tuple[int, list[int]]:
    """A task that maps over items itself (like a scenario with slices in a sweep)."""
    inner = parallel_map(_worker_view, [10 * x, 10 * x + 1], workers=2)
    return os.getpid(), [v[1] for v in inner]


def _warns(x: int) -> int:
    import warnings

    warnings.warn(f"item {x}", RuntimeWarning, stacklevel=1)
    return 2 * x


def _fails(x: int) -> int:
    if x == 2:
        raise ValueError("item 2 fails")
    return x


def _random_matmul(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((200, 200))
    return a @ a.T @ rng.standard_normal(200)


def test_results_in_item_order_and_unordered_with_indices():
    items = [3.0, 1.0, 2.0, 5.0, 4.0]
    assert parallel_map(_square, items, workers=2) == [9.0, 1.0, 4.0, 25.0, 16.0]
    assert parallel_map(_square, items, workers=1) == [9.0, 1.0, 4.0, 25.0, 16.0]
    pairs = list(parallel_imap(_square, items, workers=2, ordered=False))
    assert sorted(pairs) == sorted(enumerate([9.0, 1.0, 4.0, 25.0, 16.0]))
    assert parallel_map(_square, [], workers=2) == []


def test_workers_are_marked_and_run_single_thread_blas():
    here = os.getpid()
    views = parallel_map(_worker_view, range(4), workers=2)
    assert [v[0] for v in views] == [0, 1, 2, 3]
    assert all(v[1] != here for v in views)  # other processes
    assert all(v[2] for v in views)  # marked as workers
    assert all(v[3] == 1 for v in views)  # one BLAS thread each
    # in-process (workers=1): not a worker, no limits imposed
    local = parallel_map(_worker_view, range(2), workers=1)
    assert all(v[1] == here and not v[2] for v in local)
    assert not in_worker() and os.environ.get(WORKER_ENV) != "1"


def test_no_pool_inside_a_pool():
    """A task that calls parallel_map runs its items in its own process."""
    out = parallel_map(_nested, [1, 2, 3], workers=2)
    for pid, inner in out:
        assert inner == [pid, pid]
    assert default_workers(8) >= 1


def test_parallel_numerics_equal_sequential_bit_for_bit():
    seeds = list(range(6))
    seq = parallel_map(_random_matmul, seeds, workers=1)
    par = parallel_map(_random_matmul, seeds, workers=2)
    for a, b in zip(seq, par):
        np.testing.assert_array_equal(a, b)


def test_an_exception_in_a_task_is_raised():
    with pytest.raises(ValueError, match="item 2 fails"):
        parallel_map(_fails, [0, 1, 2, 3], workers=2)
    with pytest.raises(ValueError, match="item 2 fails"):
        parallel_map(_fails, [0, 1, 2, 3], workers=1)


@pytest.mark.slow
def test_dask_scheduler_ordered_and_nested():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        addr = cluster.scheduler_address
        assert parallel_map(math.sqrt, [16.0, 1.0, 9.0], scheduler=addr) == [4.0, 1.0, 3.0]
        # a task that maps itself (nested): runs in-process on the Dask worker
        nested = functools.partial(parallel_map, math.sqrt)
        assert parallel_map(nested, [[1.0, 4.0], [9.0]], scheduler=addr) == [[1.0, 2.0], [3.0]]
        got = sorted(parallel_imap(math.sqrt, [4.0, 25.0], scheduler=addr, ordered=False))
        assert got == [(0, 2.0), (1, 5.0)]


@pytest.mark.parametrize("workers", [1, 2])
def test_warnings_of_worker_tasks_reach_the_caller(workers):
    """parallel_map_warned: results in order, and each task's warnings issued again in the
    caller (from a worker process they would be lost), in item order, same category."""
    with pytest.warns(RuntimeWarning) as rec:
        out = parallel_map_warned(_warns, [3, 1, 2], workers=workers)
    assert out == [6, 2, 4]
    assert [str(w.message) for w in rec] == ["item 3", "item 1", "item 2"]


def test_default_workers_one_process_per_item_below_two_per_core(monkeypatch):
    """Three items on two cores run at once (no last round on one core); from two items
    per core on, one process per core; never more than memory holds; 1 in a worker."""
    import photosc.foundation.parallel as par

    monkeypatch.setattr(par.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(par, "_processes_in_memory", lambda: 64)
    assert [default_workers(n) for n in (1, 2, 3, 4, 5, 100)] == [1, 2, 3, 2, 2, 2]
    monkeypatch.setattr(par.os, "cpu_count", lambda: 4)
    assert [default_workers(n) for n in (5, 7, 8)] == [5, 7, 4]
    monkeypatch.setattr(par, "_processes_in_memory", lambda: 1)  # memory for one
    assert default_workers(7) == 4  # still one per core
    monkeypatch.setenv(par.WORKER_ENV, "1")
    assert default_workers(3) == 1


def test_processes_in_memory_is_a_positive_count():
    import photosc.foundation.parallel as par

    assert par._processes_in_memory() >= 1
