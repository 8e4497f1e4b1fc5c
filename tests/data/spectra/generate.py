"""Generate the synthetic test spectra in tests/data/spectra (layouts of QE, EPW, text).

Fortran-style %-formatting on purpose (the layouts the codes write).
"""
# ruff: noqa: UP031

import pathlib

import numpy as np

RY = 13605.693122994
THZ = 4.135667696923859
WN = 0.12398419843320026
out = str(pathlib.Path(__file__).parent) + "/"


def model(w):
    a = 0.45 * np.exp(-0.5 * ((w - 6.0) / 1.2) ** 2) + 0.3 * np.exp(-0.5 * ((w - 14.0) / 1.0) ** 2)
    return a * (w / (w + 2.0)) ** 2


# --- QE a2F.dos3: Ry, record = "E total" + mode lines (9 modes: 6 + 3 per record)
wq = np.linspace(0, 20.0, 201)  # meV
tot = model(wq)
rng = np.random.default_rng(3)
frac = rng.dirichlet(np.ones(9), size=wq.size)
modes = tot[:, None] * frac
# Fourier-interpolation wiggle: small negative values at low frequency
wig = -2e-3 * np.exp(-wq / 0.6) * np.sin(wq * 3) ** 2
wig[0] = 0.0
modes[:, 0] += wig
tot = modes.sum(axis=1)
g = np.where(wq > 0, tot / np.where(wq > 0, wq, 1), 0)
lam = 2 * np.sum(g) * (wq[1] - wq[0])  # QE-like rectangle sum
with open(out + "a2F.dos3", "w") as f:
    f.write(" # Eliashberg function a2F (per both spin)\n")
    f.write(" #  frequencies in Rydberg  \n")
    f.write(" # DOS normalized to E in Rydberg: a2F_total, a2F(mode) \n")
    for j in range(wq.size):
        f.write("   %16.6E%16.6E\n" % (wq[j] / RY, tot[j]))
        f.write("   " + "".join("%16.6E" % v for v in modes[j, :6]) + "\n")
        f.write("   " + "".join("%16.6E" % v for v in modes[j, 6:]) + "\n")
    f.write(" lambda        %12.8f   %12.8f\n" % (lam, 0.0))
print("qe lambda", lam)

# --- EPW prefix.a2f: meV, 3 smearings, columns w, a2f x3, lambda_int x3, footer
we = np.linspace(0.05, 20.0, 400)
a1 = model(we)
a2 = model(we) * 1.05
a3 = model(we) * 0.9
cols = [a1, a2, a3]
dw = we[1] - we[0]
lint = [np.cumsum(2 * c / we) * dw for c in cols]
with open(out + "pb.a2f", "w") as f:
    f.write(" # w[meV] a2f and integrated 2*a2f/w for    3 smearing values\n")
    for j in range(we.size):
        f.write(
            "%12.7f" % we[j]
            + "".join("%12.7f" % c[j] for c in cols)
            + "".join("%12.7f" % l[j] for l in lint)
            + "\n"
        )
    f.write("  Integrated el-ph coupling\n")
    f.write("  #            " + "".join("%12.7f" % l[-1] for l in lint) + "\n")
    f.write("  Phonon smearing (meV)\n")
    f.write("  #            " + "".join("%12.7f" % s for s in (0.05, 0.1, 0.15)) + "\n")
    f.write("  Electron smearing (eV)   0.1000000\n")
    f.write("  Fermi window (eV)   0.4000000\n")
    f.write("  Summed el-ph coupling   %12.7f\n" % lint[0][-1])
print("epw lambdas", [l[-1] for l in lint])

# --- text with THz header, two columns of alpha^2F
wt = np.linspace(0, 20.0, 301)
with open(out + "two_columns_thz.dat", "w") as f:
    f.write("# frequency (THz)   a2F(sigma=0.1)   a2F(sigma=0.2)\n")
    for j in range(wt.size):
        f.write("%.8f %.8e %.8e\n" % (wt[j] / THZ, model(wt)[j], 0.5 * model(wt)[j]))
# --- text, no header (cm^-1 given by the user)
with open(out + "plain_cm.dat", "w") as f:
    for j in range(wt.size):
        f.write("%.6f  %.8e\n" % (wt[j] / WN, model(wt)[j]))
