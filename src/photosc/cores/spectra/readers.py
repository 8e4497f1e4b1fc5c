"""Readers for alpha^2F files (filled in below)."""

from __future__ import annotations


def read_spectrum(path, units=None, column=1):  # pragma: no cover - replaced shortly
    raise NotImplementedError("readers not yet implemented")
