"""Progress bars for long loops (tqdm on stderr), silenced with PHOTOSC_PROGRESS=0.

Two forms, both no-ops when bars are disabled:

* :func:`progress` wraps an iterable (a loop over points, temperatures, scenarios);
* :func:`progress_bar` is a context manager for a solver that advances a known
  total by steps of its own (a time integration from 0 to t_end: ``update(dt)``).

A bar appears only once its loop has run for :data:`DELAY_S` seconds, so short
runs print nothing and every run longer than that shows one. Bars are off in
the worker processes of a sweep (``PHOTOSC_IN_WORKER=1``): the sweep's own bar
counts the points there.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

#: Seconds a loop runs before its bar is drawn.
DELAY_S = 2.0


def enabled() -> bool:
    """Whether progress bars are shown.

    Environment ``PHOTOSC_PROGRESS`` (default on; ``0``, ``false``, ``no``, ``off``
    turn bars off); always off in a sweep's worker process (``PHOTOSC_IN_WORKER=1``).
    """
    if os.environ.get("PHOTOSC_IN_WORKER", "") == "1":
        return False
    return os.environ.get("PHOTOSC_PROGRESS", "1").lower() not in ("0", "false", "no", "off")


def _bar(**kwargs: Any) -> Any:
    from tqdm.auto import tqdm

    return tqdm(leave=False, dynamic_ncols=True, delay=DELAY_S, **kwargs)


def progress(iterable: Iterable[T], desc: str = "", total: int | None = None) -> Iterator[T]:
    """Wrap ``iterable`` in a tqdm bar on stderr (a plain iterator when disabled).

    Parameters
    ----------
    iterable : iterable
        The loop.
    desc : str
        Label shown before the bar.
    total : int, optional
        Number of items, when ``len(iterable)`` does not give it.
    """
    if not enabled():
        yield from iterable
        return
    yield from _bar(iterable=iterable, desc=desc, total=total)


class _NoBar:
    """The do-nothing stand-in for a tqdm bar."""

    def update(self, n: float = 1) -> None:
        """Ignore an advance."""

    def set_postfix_str(self, s: str = "") -> None:
        """Ignore a status text."""


@contextlib.contextmanager
def progress_bar(total: float, desc: str = "", unit: str = "it") -> Iterator[Any]:
    """A bar advanced by hand, e.g. over the time of an integration.

    ``with progress_bar(t_end, "kinetics", "ps") as bar: ... bar.update(dt)``

    Parameters
    ----------
    total : float
        The value at completion (e.g. the end time, in ``unit``).
    desc : str
        Label shown before the bar.
    unit : str
        Unit of ``total`` and of the advances.

    Yields
    ------
    object
        With ``update(n)`` and ``set_postfix_str(text)``; a no-op when bars are disabled.
    """
    if not enabled():
        yield _NoBar()
        return
    bar = _bar(total=total, desc=desc, unit=unit)
    try:
        yield bar
    finally:
        bar.close()


@contextlib.contextmanager
def elapsed(desc: str, interval: float = 0.5) -> Iterator[None]:
    """Show the elapsed time of a step with no loop of its own (a run of any model).

    A tqdm counter in seconds, drawn only after ``DELAY_S`` like every bar here (so a
    short run prints nothing) and advanced by a daemon thread every ``interval`` s;
    nothing when bars are disabled. Models with their own bars show them below it.

    Parameters
    ----------
    desc : str
        Label shown before the counter.
    interval : float, s
        Refresh period.
    """
    if not enabled():
        yield
        return
    import threading
    import time

    bar = _bar(total=None, desc=desc, unit="s", bar_format="{desc}: {elapsed}")
    stop = threading.Event()

    def tick() -> None:
        t0 = time.monotonic()
        while not stop.wait(interval):
            bar.n = round(time.monotonic() - t0, 1)
            bar.refresh()

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        bar.close()
