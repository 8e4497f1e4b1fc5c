"""Output folders: never replace or delete anything photosc did not write.

A run or sweep writes one folder ``DIR`` (default ``runs/NAME-TIMESTAMP``). ``DIR``
may be new, an empty folder, or a folder that photosc itself wrote (it carries the
``.photosc`` marker and holds nothing else); replacing an earlier complete result needs
``overwrite=True`` (``--overwrite``). A folder holding anything else, or a file at
``DIR``, is refused with an :class:`OutputError` naming it. A lock file next to ``DIR``
(``.DIR.photosc-lock``) makes a second run into the same ``DIR`` at the same time fail
clearly. Everything is written into a hidden sibling folder first and renamed into
place at the end, so a failed run leaves no folder that looks complete.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import xarray as xr

import photosc
from photosc.errors import PhotoscError
from photosc.results.records import netcdf_ready

try:  # POSIX advisory locks; elsewhere an exclusive lock file stands in
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Name of the marker file that photosc writes (last) into every folder it owns.
MARKER = ".photosc"
#: Suffix of the lock file next to an output folder while a run writes it.
LOCK_SUFFIX = ".photosc-lock"


class OutputError(PhotoscError):
    """An output folder cannot be used: it holds the user's files, is a file,
    is being written by another run, or cannot be created."""


def default_out(name: str) -> Path:
    """``runs/NAME-TIMESTAMP`` (a free name is chosen by :func:`claim_out`)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path("runs") / f"{name}-{stamp}"


def out_path(out: str | os.PathLike[str]) -> Path:
    """The output folder as an absolute path; an empty name is an :class:`OutputError`."""
    text = os.fspath(out)
    if not str(text).strip():
        raise OutputError("output folder: the path is empty; give a folder name (e.g. --out run1)")
    return Path(os.path.abspath(Path(text).expanduser()))


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The ``.photosc`` marker of ``folder`` (None: no valid marker, not a photosc folder)."""
    try:
        data = json.loads((Path(folder) / MARKER).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None
    return data


def write_marker(folder: Path, kind: str, scenario: str, complete: bool) -> None:
    """Write the marker listing the entries now in ``folder`` (call it last)."""
    files = sorted(p.name for p in Path(folder).iterdir() if p.name != MARKER)
    data = {
        "photosc_version": photosc.__version__,
        "kind": kind,
        "scenario": scenario,
        "complete": complete,
        "files": files,
    }
    tmp = Path(folder) / f"{MARKER}.tmp"
    tmp.write_text(json.dumps(data, indent=1) + "\n")
    tmp.replace(Path(folder) / MARKER)


def _listing(entries: list[Path], limit: int = 5) -> str:
    names = sorted(p.name + ("/" if p.is_dir() else "") for p in entries)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def check_out(out: Path, *, overwrite: bool = False, resume_sweep: bool = False) -> str:
    """Check that ``out`` may receive a result; return its state.

    Parameters
    ----------
    out : Path
        The output folder (absolute, see :func:`out_path`).
    overwrite : bool
        Allow replacing an earlier complete photosc result.
    resume_sweep : bool
        A sweep may continue an unfinished photosc sweep folder (its point cache).

    Returns
    -------
    str
        ``"new"`` (absent), ``"empty"`` (an empty folder), ``"partial"`` (an
        unfinished photosc sweep) or ``"result"`` (an earlier photosc result).

    Raises
    ------
    OutputError
        ``out`` is a file, holds anything photosc did not write, holds an earlier
        result and ``overwrite`` is False, or cannot be read.
    """
    if out.is_symlink() and not out.exists():
        raise OutputError(f"output folder {out} is a broken symbolic link; choose another path")
    if not out.exists():
        return "new"
    if not out.is_dir():
        raise OutputError(
            f"output folder {out} is an existing file; photosc writes a result folder and "
            "never replaces a file: choose another --out"
        )
    try:
        entries = list(out.iterdir())
    except OSError as exc:
        raise OutputError(f"cannot read the output folder {out}: {exc.strerror or exc}") from None
    if not entries:
        return "empty"
    marker = read_marker(out)
    if marker is None:
        raise OutputError(
            f"output folder {out} already exists and holds files that photosc did not write "
            f"({_listing(entries)}); nothing was changed: choose a new or empty folder"
        )
    known = {MARKER, *map(str, marker["files"])}
    foreign = [p for p in entries if p.name not in known]
    if foreign:
        raise OutputError(
            f"output folder {out} is a photosc result but also holds files that photosc did "
            f"not write ({_listing(foreign)}); nothing was changed: move them or choose "
            "another folder"
        )
    if not marker.get("complete", True):
        if resume_sweep or overwrite:
            return "partial"
        raise OutputError(
            f"output folder {out} holds an unfinished photosc sweep; pass --overwrite "
            "(overwrite=True) to replace it, or rerun that sweep to resume it"
        )
    if not overwrite:
        raise OutputError(
            f"output folder {out} holds an earlier photosc result "
            f"(scenario {marker.get('scenario', '?')!r}); pass --overwrite (overwrite=True) "
            "to replace it, or choose another folder"
        )
    return "result"


class OutputLock:
    """Exclusive lock on an output folder: ``.NAME.photosc-lock`` next to it.

    A second run into the same folder fails at once with an :class:`OutputError`
    (POSIX ``flock``: the lock dies with its process, so a killed run leaves no
    stale lock behind).
    """

    def __init__(self, out: Path):
        self.out = out
        self.path = out.parent / f".{out.name}{LOCK_SUFFIX}"
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        """Take the lock; False when another process holds it."""
        make_parent(self.out)
        while True:
            try:
                if fcntl is None:  # pragma: no cover - Windows
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
                else:
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except FileExistsError:  # pragma: no cover - Windows
                return False
            except OSError as exc:
                raise OutputError(
                    f"cannot create a lock file for the output folder {self.out}: "
                    f"{exc.strerror or exc}"
                ) from None
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(fd)
                    return False
                # the previous holder may have removed the file between open and flock
                try:
                    same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
            os.write(fd, f"{os.getpid()}\n".encode())
            self._fd = fd
            return True

    def acquire(self) -> OutputLock:
        """Take the lock or raise an :class:`OutputError` naming the folder."""
        if not self.try_acquire():
            raise OutputError(
                f"output folder {self.out} is being written by another photosc process "
                f"(lock {self.path}); wait for it to finish or choose another --out"
            )
        return self

    def release(self) -> None:
        """Remove the lock file and release the lock."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> OutputLock:
        return self if self._fd is not None else self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def make_parent(out: Path) -> None:
    """Create the parent folders of ``out``; an OS error becomes an :class:`OutputError`."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder {out}: {exc.strerror or exc} "
            f"({exc.filename or out.parent})"
        ) from None
    if not out.parent.is_dir():
        raise OutputError(f"cannot create the output folder {out}: {out.parent} is not a folder")


def claim_out(
    out: str | os.PathLike[str] | None,
    name: str,
    *,
    overwrite: bool = False,
    resume_sweep: bool = False,
) -> tuple[Path, OutputLock]:
    """Choose, check and lock the output folder of a run.

    ``out`` None: a free ``runs/NAME-TIMESTAMP[-k]`` (concurrent runs land in
    distinct folders). Otherwise ``out`` is checked (:func:`check_out`) and locked;
    the caller releases the returned lock when the folder is written.
    """
    if out is not None:
        path = out_path(out)
        lock = OutputLock(path).acquire()
        try:
            check_out(path, overwrite=overwrite, resume_sweep=resume_sweep)
        except BaseException:
            lock.release()
            raise
        return path, lock
    base = out_path(default_out(name))
    for k in range(1, 10_000):
        path = base if k == 1 else base.with_name(f"{base.name}-{k}")
        if path.exists() or path.is_symlink():
            continue
        lock = OutputLock(path)
        if not lock.try_acquire():
            continue
        if path.exists():  # appeared before we locked it
            lock.release()
            continue
        return path, lock
    raise OutputError(f"no free output folder next to {base}")  # pragma: no cover


def write_folder(
    out: Path,
    dataset: xr.Dataset | None,
    summary: dict[str, Any],
    figures: dict[str, Any],
    extra_files: dict[str, str] | None = None,
    keep: tuple[str, ...] = (),
    *,
    overwrite: bool = False,
    kind: str = "run",
    scenario: str = "",
) -> list[Path]:
    """Write result.nc, summary.json, PNGs and the marker into ``out`` atomically.

    The folder is assembled next to ``out`` and renamed into place. ``out`` is
    checked again (:func:`check_out`) right before: only an absent or empty
    folder, an unfinished photosc sweep, or (with ``overwrite``) an earlier
    photosc result is replaced; entries named in ``keep`` (e.g. a sweep's
    ``points`` cache) move into the new folder. The caller holds the
    :class:`OutputLock` of ``out``.
    """
    out = out_path(out)
    make_parent(out)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"cannot write into {out.parent}: {exc.strerror or exc}") from None
    try:
        if dataset is not None:
            netcdf_ready(dataset).to_netcdf(tmp / "result.nc", engine="h5netcdf")
            config = dataset.attrs.get("photosc_config")
            if isinstance(config, str):
                (tmp / "config.toml").write_text(config)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        for fname, text in (extra_files or {}).items():
            (tmp / fname).write_text(text)
        pngs = []
        for stem, fig in figures.items():
            p = tmp / f"{stem}.png"
            fig.savefig(p, dpi=120, bbox_inches="tight")
            pngs.append(out / p.name)
        state = check_out(out, overwrite=overwrite, resume_sweep=(kind == "sweep"))
        if state != "new":
            for name in keep:
                if (out / name).exists():
                    (out / name).rename(tmp / name)
        write_marker(tmp, kind, scenario, complete=True)
        if state == "new":
            tmp.rename(out)
        elif state == "empty":
            out.rmdir()  # only ever an empty folder
            tmp.rename(out)
        else:  # a photosc folder holding only what photosc wrote (checked above)
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write the output folder {out}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return pngs
