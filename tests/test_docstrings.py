"""Every public core and foundation function documents its parameters (STYLE.md habit 8).

For each public function (and public method of a public class) defined in a module of
``photosc.cores`` or ``photosc.foundation`` that takes two or more parameters (``self``/``cls``
not counted), the docstring must have a numpydoc ``Parameters`` section naming every parameter:
an entry line ``name : (n,) float, meV``, a grouping ``a, b : ...``, or ``*args`` / ``**kwargs``.
A docstring saying "Parameters as :func:`other`" counts only if ``other`` (same module, or the
same class for a method) has a section that names all of this function's parameters. A method
without a docstring inherits its base class's (``inspect.getdoc``), e.g. ``Dissipator.add_rhs``.
Private modules (``_kernels``) are not walked.

The test checks names, not units; the units on each entry are for the reviewer (issue 14 section 5).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types

import pytest

import photosc.cores
import photosc.foundation
import photosc.inputs

# photosc.inputs too: its file readers were photosc.cores.spectra.readers (issue 14 section 5)
PACKAGES = (photosc.cores, photosc.inputs, photosc.foundation)

# packages left out of the walk (none: the optics split of issue 14 has landed)
EXCLUDED: tuple[str, ...] = ()

_HEADER_RULE = re.compile(r"^\s*-{3,}\s*$")
_POINTER = re.compile(r"Parameters\s+as\s+:(?:func|meth):`[~.]?([\w.]+)`")
_NAME = re.compile(r"^\*{0,2}[A-Za-z_]\w*$")


def _excluded(name: str) -> bool:
    return any(name == ex or name.startswith(ex + ".") for ex in EXCLUDED)


def _modules() -> list[types.ModuleType]:
    """Every public module of the packages, less EXCLUDED (private modules hold no public API)."""
    names = [pkg.__name__ for pkg in PACKAGES]
    for pkg in PACKAGES:
        names += [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
    keep = sorted(
        n
        for n in set(names)
        if not _excluded(n) and not any(part.startswith("_") for part in n.split("."))
    )
    return [importlib.import_module(n) for n in keep]


def _parameter_names(func, drop_first: bool) -> list[str]:
    names = list(inspect.signature(func).parameters)
    return names[1:] if drop_first else names


def _public_callables(module: types.ModuleType):
    """Yield ``(qualified name, function, parameter names, owner)`` for the module's public API."""
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield f"{module.__name__}.{name}", obj, _parameter_names(obj, False), module
        elif inspect.isclass(obj):
            for mname, raw in vars(obj).items():
                if mname.startswith("_"):
                    continue
                if isinstance(raw, staticmethod):
                    func, drop = raw.__func__, False
                elif isinstance(raw, classmethod):
                    func, drop = raw.__func__, True
                elif inspect.isfunction(raw):
                    func, drop = raw, True
                else:  # properties, attributes, nested classes
                    continue
                qual = f"{module.__name__}.{name}.{mname}"
                yield qual, func, _parameter_names(func, drop), obj


def _parameters_section(doc: str) -> list[str] | None:
    """Entry lines of the numpydoc ``Parameters`` section, or None when there is none."""
    lines = doc.splitlines()
    for i in range(len(lines) - 1):
        if lines[i].strip() == "Parameters" and _HEADER_RULE.match(lines[i + 1]):
            indent = len(lines[i]) - len(lines[i].lstrip())
            body = []
            for j in range(i + 2, len(lines)):
                line = lines[j]
                nxt = lines[j + 1] if j + 1 < len(lines) else ""
                if line.strip() and _HEADER_RULE.match(nxt):  # next section header
                    break
                if line.strip() and len(line) - len(line.lstrip()) == indent:
                    body.append(line.strip())
            return body
    return None


def documented_names(doc: str | None) -> set[str] | None:
    """Parameter names the docstring's Parameters section documents (stars stripped)."""
    section = _parameters_section(doc or "")
    if section is None:
        return None
    names = set()
    for entry in section:
        head = entry.split(" :", 1)[0] if " :" in entry else entry.rstrip(":")
        for token in head.split(","):
            token = token.strip().strip("`")
            if _NAME.match(token):
                names.add(token.lstrip("*"))
    return names


def _resolve(target: str, module: types.ModuleType, owner):
    for scope in (owner, module):
        obj = scope
        for part in target.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if obj is not None:
            return obj
    return None


def check(func, params: list[str], module: types.ModuleType, owner=None) -> str | None:
    """Why ``func``'s parameters are not documented, or None when they are."""
    wanted = [p.lstrip("*") for p in params]
    doc = inspect.getdoc(func) or ""
    own = documented_names(doc)
    if own is not None and not set(wanted) - own:
        return None
    pointer = _POINTER.search(doc)
    if pointer:
        other = _resolve(pointer.group(1), module, owner)
        if other is None:
            return f"points to unknown {pointer.group(1)!r}"
        theirs = documented_names(inspect.getdoc(other)) or set()
        missing = [p for p in wanted if p not in theirs]
        if not missing:
            return None
        return f"points to {pointer.group(1)}, whose Parameters section lacks {missing}"
    if own is None:
        return f"no Parameters section (parameters {wanted})"
    return f"Parameters section lacks {[p for p in wanted if p not in own]}"


def _offenders() -> tuple[int, list[str]]:
    checked, bad = 0, []
    for module in _modules():
        for qual, func, params, owner in _public_callables(module):
            if len(params) < 2:
                continue
            checked += 1
            why = check(func, params, module, owner)
            if why:
                bad.append(f"{qual}: {why}")
    return checked, bad


def test_public_functions_document_every_parameter():
    checked, bad = _offenders()
    assert checked > 150, f"only {checked} functions found: is the module walk broken?"
    if bad:
        pytest.fail(
            f"{len(bad)} of {checked} public functions lack documented parameters "
            "(numpydoc Parameters section, one entry per parameter with shape and unit):\n"
            + "\n".join(bad),
            pytrace=False,
        )


def _full(a, b, *args, **kwargs):
    """Example.

    Parameters
    ----------
    a : (n,) float, meV
        First.
    b : float, ps
        Second.
    *args, **kwargs
        Passed on.

    Returns
    -------
    c : float
    """


def _grouped(a, b):
    """Example.

    Parameters
    ----------
    a, b : float, meV
    """


def _partial(a, b):
    """Example.

    Parameters
    ----------
    a : float, meV

    Returns
    -------
    b : float
        A name under Returns does not count.
    """


def _pointer_ok(a, b):
    """Parameters as :func:`_grouped`."""


def _pointer_bad(a, b, c):
    """Parameters as :func:`_grouped`."""


def test_checker_accepts_and_rejects():
    module = inspect.getmodule(_full)

    def why(f):
        return check(f, list(inspect.signature(f).parameters), module)

    assert why(_full) is None
    assert why(_grouped) is None
    assert why(_pointer_ok) is None
    assert "lacks ['b']" in why(_partial)
    assert "lacks ['c']" in why(_pointer_bad)
    assert "no Parameters section" in why(lambda x, y: None)
