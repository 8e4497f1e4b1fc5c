"""Compiled (Numba) loops for the bands core; same formulas as the NumPy reference code.

``coherent_kernel`` implements :func:`photosc.cores.bands.eom.coherent_rhs` and
``bilinear_kernel`` the Wick-factorised bilinear dissipator of
:class:`photosc.cores.bands.dissipators.BilinearJumps` (module docstrings there).
Arrays carry a leading batch axis ``(B, nk, 2, 2)``.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True, fastmath=False)
def coherent_kernel(h, d, n, s, minus, dn, ds):  # pragma: no cover - compiled
    """Add the coherent mean-field derivatives; ``d``: pairing matrices (B, nk, 2, 2)."""
    nbatch, nk = n.shape[0], n.shape[1]
    for bb in range(nbatch):
        for k in range(nk):
            mk = minus[k]
            for a in range(2):
                for b in range(2):
                    acc_n = 0j
                    acc_s = 0j
                    for c in range(2):
                        # dn = i (h^T n - n h^T) + i (s D_{-k} - D_k^* s_{-k}^*)
                        acc_n += h[k, c, a] * n[bb, k, c, b] - n[bb, k, a, c] * h[k, b, c]
                        acc_n += s[bb, k, a, c] * d[bb, mk, c, b]
                        acc_n -= np.conj(d[bb, k, a, c]) * np.conj(s[bb, mk, c, b])
                        # ds = i (h^T s + s h_{-k}) + i (D^* - D^* n_{-k}^T - n D^*)
                        acc_s += h[k, c, a] * s[bb, k, c, b] + s[bb, k, a, c] * h[mk, c, b]
                        acc_s -= np.conj(d[bb, k, a, c]) * n[bb, mk, b, c]
                        acc_s -= n[bb, k, a, c] * np.conj(d[bb, k, c, b])
                    acc_s += np.conj(d[bb, k, a, b])
                    dn[bb, k, a, b] += 1j * acc_n
                    ds[bb, k, a, b] += 1j * acc_s


@nb.njit(cache=True, fastmath=False)
def bilinear_kernel(n, s, minus, rows, coef, dn, ds):  # pragma: no cover - compiled
    """Add the Wick-factorised dissipator of all (entry-pair) rows.

    ``rows[r] = (kp, ap, kq, aq, ku, au, kw, aw)``: conjugate-side entry
    ``c^dagger_p c_q`` and plain-side entry ``c^dagger_u c_w``; ``coef[r] =
    gamma conj(m_pq) m_uw``.
    """
    nbatch = n.shape[0]
    for bb in range(nbatch):
        for r in range(rows.shape[0]):
            kp, ap, kq, aq, ku, au, kw, aw = (
                rows[r, 0],
                rows[r, 1],
                rows[r, 2],
                rows[r, 3],
                rows[r, 4],
                rows[r, 5],
                rows[r, 6],
                rows[r, 7],
            )
            half = 0.5 * coef[r]
            mp, mq, mu, mw = minus[kp], minus[kq], minus[ku], minus[kw]
            c_qp = n[bb, kq, aq, ap] if kq == kp else 0j
            c_qw = n[bb, kq, aq, aw] if kq == kw else 0j
            c_up = n[bb, ku, au, ap] if ku == kp else 0j
            c_uw = n[bb, ku, au, aw] if ku == kw else 0j
            f_pw = s[bb, kp, ap, aw] if kw == mp else 0j
            f_uq = s[bb, ku, au, aq] if kq == mu else 0j
            f_qu = s[bb, kq, aq, au] if ku == mq else 0j
            d_up = 1.0 if (ku == kp and au == ap) else 0.0
            for x in range(2):
                hole_p = (1.0 if x == ap else 0.0) - n[bb, kp, x, ap]
                n_col_w = n[bb, kw, x, aw]
                s_col_mq = s[bb, mq, x, aq]
                s_col_mu = s[bb, mu, x, au]
                s_row_u = s[bb, ku, au, x]
                s_row_q = s[bb, kq, aq, x]
                col1 = half * (c_qp * n_col_w + c_qw * hole_p - np.conj(f_pw) * s_col_mq)
                row2 = half * (
                    c_qp * n[bb, ku, au, x]
                    + (d_up - c_up) * n[bb, kq, aq, x]
                    - f_uq * np.conj(s[bb, kp, ap, x])
                )
                dn[bb, ku, x, au] += col1
                dn[bb, ku, au, x] += np.conj(col1)
                dn[bb, kw, aw, x] -= row2
                dn[bb, kw, x, aw] -= np.conj(row2)
                ds[bb, mw, x, aw] += half * (
                    -c_qp * s_col_mu - (d_up - c_up) * s_col_mq - f_qu * hole_p
                )
                ds[bb, kw, aw, x] += half * (
                    -c_qp * s_row_u - f_uq * hole_p - (d_up - c_up) * s_row_q
                )
                ds[bb, mp, x, ap] += half * (c_uw * s_col_mq - c_qw * s_col_mu - f_uq * n_col_w)
                ds[bb, kp, ap, x] += half * (c_uw * s_row_q - f_qu * n_col_w - c_qw * s_row_u)


@nb.njit(cache=True)
def unpack_kernel(y, minus, full):  # pragma: no cover - compiled
    """Packed real vector (see ``Packing``) -> ``n, s`` of shape (1, nk, 2, 2)."""
    nk = minus.shape[0]
    n = np.zeros((1, nk, 2, 2), dtype=np.complex128)
    s = np.zeros((1, nk, 2, 2), dtype=np.complex128)
    for k in range(nk):
        n[0, k, 0, 0] = y[k]
        n[0, k, 1, 1] = y[nk + k]
        z = y[2 * nk + k] + 1j * y[3 * nk + k]
        n[0, k, 1, 0] = z
        n[0, k, 0, 1] = np.conj(z)
        s[0, k, 1, 0] = y[4 * nk + k] + 1j * y[5 * nk + k]
    for k in range(nk):
        s[0, k, 0, 1] = -s[0, minus[k], 1, 0]
    if full:
        for k in range(nk):
            mk = minus[k]
            s[0, k, 0, 0] = 0.5 * (
                (y[6 * nk + k] + 1j * y[7 * nk + k]) - (y[6 * nk + mk] + 1j * y[7 * nk + mk])
            )
            s[0, k, 1, 1] = 0.5 * (
                (y[8 * nk + k] + 1j * y[9 * nk + k]) - (y[8 * nk + mk] + 1j * y[9 * nk + mk])
            )
    return n, s


@nb.njit(cache=True)
def pack_kernel(dn, ds, full):  # pragma: no cover - compiled
    """Derivatives (1, nk, 2, 2) -> packed real vector."""
    nk = dn.shape[1]
    out = np.empty((10 if full else 6) * nk)
    for k in range(nk):
        out[k] = dn[0, k, 0, 0].real
        out[nk + k] = dn[0, k, 1, 1].real
        out[2 * nk + k] = dn[0, k, 1, 0].real
        out[3 * nk + k] = dn[0, k, 1, 0].imag
        out[4 * nk + k] = ds[0, k, 1, 0].real
        out[5 * nk + k] = ds[0, k, 1, 0].imag
        if full:
            out[6 * nk + k] = ds[0, k, 0, 0].real
            out[7 * nk + k] = ds[0, k, 0, 0].imag
            out[8 * nk + k] = ds[0, k, 1, 1].real
            out[9 * nk + k] = ds[0, k, 1, 1].imag
    return out


@nb.njit(cache=True)
def pairing_kernel(delta, minus):  # pragma: no cover - compiled
    """Pairing matrices ``D_k`` (1, nk, 2, 2) from ``Delta_k`` (nk,)."""
    nk = delta.shape[0]
    d = np.zeros((1, nk, 2, 2), dtype=np.complex128)
    for k in range(nk):
        d[0, k, 1, 0] = delta[k]
        d[0, k, 0, 1] = -delta[minus[k]]
    return d


@nb.njit(cache=True)
def single_rhs_kernel(y, minus, full, h, delta, rows, coef):  # pragma: no cover - compiled
    """``dy/dt`` of one packed state in one compiled call (issue 16).

    The same kernels, in the same order, as :meth:`MeanFieldEOM._single_reference`:
    unpack, pairing matrices of ``delta`` (nk,), the coherent part, then the bilinear
    dissipators (``rows``/``coef`` of every dissipator, concatenated in list order),
    pack. Bit for bit equal to that path.
    """
    n, s = unpack_kernel(y, minus, full)
    d = pairing_kernel(delta, minus)
    dn = np.zeros_like(n)
    ds = np.zeros_like(s)
    coherent_kernel(h, d, n, s, minus, dn, ds)
    if rows.shape[0] > 0:
        bilinear_kernel(n, s, minus, rows, coef, dn, ds)
    return pack_kernel(dn, ds, full)
