"""Runs scipy's eigsh (ARPACK) on the matrices written by generate-and-run.mjs and prints the comparison table.

Matvecs are counted through a scipy LinearOperator wrapper. Criterion (same as for Lanczos): every one of
the top-k pairs has a true residual ||A v - theta v|| <= 1e-8 * ||A||_2. ARPACK's own test is
||r_i|| <= tol * |theta_i|, so tol = 1e-8 is the loosest single tol that guarantees the criterion in advance;
we also scan looser tols and report the cheapest run whose true residuals still meet the criterion
("best tol", an optimistic figure for ARPACK: it needs the answer to pick the tol).
"""
import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse.linalg import LinearOperator, eigsh

data = Path(sys.argv[1])
manifest = json.loads((data / "manifest.json").read_text())
n, k, ncv, tolerance = manifest["n"], manifest["k"], manifest["basisSize"], manifest["tolerance"]


def run_eigsh(A, v0, tol):
    count = [0]

    def matvec(x):
        count[0] += 1 if x.ndim == 1 or x.shape[1] == 1 else x.shape[1]
        return A @ x

    op = LinearOperator((n, n), matvec=matvec, dtype=np.float64)
    values, vectors = eigsh(op, k=k, which="LA", ncv=ncv, tol=tol, v0=v0, maxiter=100 * n)
    residual = max(np.linalg.norm(A @ vectors[:, j] - values[j] * vectors[:, j]) for j in range(k))
    return count[0], residual, np.sort(values)[::-1]


rows = []
for entry in manifest["matrices"]:
    A = np.fromfile(data / entry["file"], dtype="<f8").reshape(n, n)
    normA = entry["normA"]
    top = np.array(entry["top"])
    for run in [r for r in entry["runs"] if not r["multiplicityCheck"]]:
        seed = run["seed"]
        v0 = np.fromfile(data / f"{entry['file']}.v0-{seed}.bin", dtype="<f8")
        strict, strict_res, strict_vals = run_eigsh(A, v0, tolerance)
        best = None
        max_tol = tolerance * normA / np.min(np.abs(top))
        for tol in np.geomspace(tolerance, max(max_tol, tolerance), 12):
            mv, res, _ = run_eigsh(A, v0, tol)
            if res <= tolerance * normA and (best is None or mv < best[0]):
                best = (mv, tol)
        with_check = next(r for r in entry["runs"] if r["multiplicityCheck"] and r["seed"] == seed)
        rows.append(
            dict(
                matrix=entry["name"],
                seed=seed,
                lanczos=run["matvecs"],
                lanczos_check=with_check["matvecs"],
                lanczos_res=max(run["maxResidual"], with_check["maxResidual"]),
                arpack=strict,
                arpack_res=strict_res / normA,
                arpack_best=best[0] if best else None,
                arpack_best_tol=best[1] if best else None,
                value_err=max(run["maxValueError"], float(np.max(np.abs(strict_vals - top)) / normA)),
            )
        )

print(f"n = {n}, k = {k} largest, basis size m = ncv = {ncv}, criterion ||Av - θv|| <= {tolerance:g}·||A||_2, same start vector")
print()
print("| matrix | seed | Lanczos | Lanczos + multiplicity check | ARPACK tol=1e-8 | ARPACK best tol (tol) | max true residual / ‖A‖ (Lanczos, ARPACK) |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    best = f"{r['arpack_best']} ({r['arpack_best_tol']:.1e})" if r["arpack_best"] else "—"
    print(
        f"| {r['matrix']} | {r['seed']} | {r['lanczos']} | {r['lanczos_check']} | {r['arpack']} | {best} | "
        f"{r['lanczos_res']:.1e}, {r['arpack_res']:.1e} |"
    )
tot = lambda key: sum(r[key] for r in rows if r[key] is not None)
print(f"| **total** | | {tot('lanczos')} | {tot('lanczos_check')} | {tot('arpack')} | {tot('arpack_best')} | |")
