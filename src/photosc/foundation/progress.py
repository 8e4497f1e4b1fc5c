"""Progress bars for long loops (tqdm), silenced with PHOTOSC_PROGRESS=0."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def enabled() -> bool:
    """Whether progress bars are shown (env PHOTOSC_PROGRESS, default on)."""
    return os.environ.get("PHOTOSC_PROGRESS", "1") not in ("0", "false", "no", "off")


def progress(iterable: Iterable[T], desc: str = "", total: int | None = None) -> Iterator[T]:
    """Wrap ``iterable`` in a tqdm bar on stderr (a plain iterator when disabled)."""
    if not enabled():
        yield from iterable
        return
    from tqdm.auto import tqdm

    yield from tqdm(iterable, desc=desc, total=total, leave=False, dynamic_ncols=True)
