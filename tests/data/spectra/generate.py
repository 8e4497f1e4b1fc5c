"""Generate the synthetic test spectra in tests/data/spectra (layouts of QE, EPW, text).

Each file follows the Fortran WRITE statements of the code named beside it (formats
reproduced with %-formatting on purpose); the real files from the codes' own repositories
are in ``real/`` (see README.md).
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


def fortran_list_real(x):
    """gfortran list-directed REAL(8): 17 significant digits, 3-digit exponent if small."""
    if x != 0 and (abs(x) < 0.1 or abs(x) >= 1e8):
        m, e = ("%.16E" % x).split("E")
        return "%sE%s%03d" % (m, "-" if int(e) < 0 else "+", abs(int(e)))
    return "%.17f" % x


def qe_modes(e_mev, nmodes, seed):
    """Total alpha^2F on QE's midpoint grid, split into modes, with a negative wiggle."""
    tot = model(e_mev)
    rng = np.random.default_rng(seed)
    modes = tot[:, None] * rng.dirichlet(np.ones(nmodes), size=e_mev.size)
    modes[:, 0] += -2e-3 * np.exp(-e_mev / 0.6) * np.sin(e_mev * 3) ** 2
    return modes


QE_HEADER = (
    " \n"
    " # Eliashberg function a2F (per both spin)\n"
    " #  frequencies in Rydberg  \n"
    " # DOS normalized to E in Rydberg: a2F_total, a2F(mode) \n"
    " \n"
)
QE_FOOTER = "  lambda = %s         Delta =   %s\n"  # write(ifn,*) " lambda =",lambda,...

# --- QE a2F.dos3, matdyn.x before QE 6.3: '(3X,2F12.6)' E, total, then '(6F16.8)' modes
# (9 modes: 6 + 3 per record). A hydride-like scale (x 5 in frequency) so that E printed
# with 6 decimals in Ry keeps the grid: DeltaE = 1 meV = 7.3e-5 Ry, as in QE's examples.
nd, de = 100, 1.0 / RY  # Ry
e = (np.arange(1, nd + 1) - 0.5) * de  # matdyn: E = Emin + (n-1) DeltaE + DeltaE/2
modes = qe_modes(e * RY / 5.0, 9, 3)
tot = modes.sum(axis=1)
lam = float(np.sum(2.0 * tot / e * de))  # matdyn's rectangle sum
with open(out + "a2F.dos3", "w") as f:
    f.write(QE_HEADER)
    for j in range(nd):
        f.write("   %12.6f%12.6f\n" % (e[j], tot[j]))
        f.write("".join("%16.8f" % v for v in modes[j, :6]) + "\n")
        f.write("".join("%16.8f" % v for v in modes[j, 6:]) + "\n")
    f.write(QE_FOOTER % (fortran_list_real(lam), fortran_list_real(de)))
print("qe a2F.dos3 lambda", lam)

# --- QE a2F.dos2, matdyn.x since QE 6.3: '(3X,1000E16.6)' E, total, modes on one line
nd, de = 200, 0.1 / RY
e = (np.arange(1, nd + 1) - 0.5) * de
modes = qe_modes(e * RY, 9, 4)
tot = modes.sum(axis=1)
lam = float(np.sum(2.0 * tot / e * de))
with open(out + "a2F.dos2", "w") as f:
    f.write(QE_HEADER)
    for j in range(nd):
        f.write("   " + "".join("%16.6E" % v for v in (e[j], tot[j], *modes[j])) + "\n")
    f.write(QE_FOOTER % (fortran_list_real(lam), fortran_list_real(de)))
print("qe a2F.dos2 lambda", lam)

# --- EPW prefix.a2f (supercond.f90): header without '#', '(f12.7, 20f12.7)' rows
# w, a2f x N, cumulative lambda x N (rectangle sum), footer of supercond.f90
nq = 400
dw = 20.0 / nq
we = dw * np.arange(1, nq + 1)  # wsph(iwph) = iwph * dwsph
cols = [model(we), model(we) * 1.05, model(we) * 0.9]
lint = [np.cumsum(2 * c / we * dw) for c in cols]
with open(out + "pb.a2f", "w") as f:
    f.write(" w[meV] a2f and integrated 2*a2f/w for %4d smearing values\n" % len(cols))
    for j in range(nq):
        f.write("%12.7f" % we[j] + "".join("%12.7f" % v[j] for v in cols + lint) + "\n")
    f.write(" Integrated el-ph coupling\n")
    f.write("  #         " + "".join("%12.7f" % v[-1] for v in lint) + "\n")
    f.write(" Phonon smearing (meV)\n")
    f.write("  #         " + "".join("%12.7f" % s for s in (0.05, 0.1, 0.15)) + "\n")
    f.write("Electron smearing (eV)%12.7f\n" % 0.1)
    f.write("Fermi window (eV)%12.7f\n" % 0.4)
    f.write("Summed el-ph coupling %12.7f\n" % lint[0][-1])
print("epw pb.a2f lambdas", [v[-1] for v in lint])

# --- EPW prefix.a2f (current write_a2f, supercond_vertex.f90): the header still names
# nqsmear (10) smearing values, rows are w, a2f, cumulative 2 sum a2f / iwph
a = model(we)
cum = np.cumsum(2 * a / np.arange(1, nq + 1))
with open(out + "nb_write_a2f.a2f", "w") as f:
    f.write(" w[meV] a2f and integrated 2*a2f/w for %4d smearing values\n" % 10)
    for j in range(nq):
        f.write("%12.7f%12.7f%12.7f\n" % (we[j], a[j], cum[j]))
    f.write(" Integrated el-ph coupling\n")
    f.write("  #         %12.7f\n" % cum[-1])
    f.write(" Phonon smearing (meV)\n")
    f.write("  #         %12.7f\n" % 0.5)
    f.write("Electron smearing (eV)%12.7f\n" % 0.1)
    f.write("Fermi window (eV)%12.7f\n" % 0.4)
    f.write("DOS (eV)%12.7f\n" % 1.2345678)
    f.write("Summed el-ph coupling %12.7f\n" % cum[-1])
print("epw nb_write_a2f.a2f lambda", cum[-1])

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
