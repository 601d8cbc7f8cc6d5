"""numpy side of bench/eigen: times eigvalsh and eigh (LAPACK dsyevd through OpenBLAS) on DIR/sym-<n>.f64,
with the default thread count and with one thread, and checks the Node results written to DIR/ours-<n>-*.f64
(residual ‖AV − VΛ‖_F/‖A‖_F, orthogonality ‖VᵀV − I‖_F, eigenvalue agreement). Writes DIR/numpy.json."""
import json
import sys
import time
from pathlib import Path

import numpy as np

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # optional
    threadpool_info = None
    threadpool_limits = None

data = Path(sys.argv[1])
sizes = [int(s) for s in sys.argv[2].split(",")]


def best_of(fn, a, repeats):
    """Best wall-clock seconds and best process CPU seconds (all threads) over `repeats` runs."""
    best = float("inf")
    best_cpu = float("inf")
    for _ in range(repeats):
        c = time.process_time()
        t = time.perf_counter()
        fn(a)
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best, best_cpu


info = threadpool_info() if threadpool_info else []
blas = [f"{i.get('internal_api')} {i.get('version')} kernel={i.get('architecture')} threads={i.get('num_threads')}" for i in info]
result = {"numpy": np.__version__, "blas": blas, "sizes": {}}
np.linalg.eigvalsh(np.eye(4))  # load LAPACK
for n in sizes:
    a = np.fromfile(data / f"sym-{n}.f64", dtype="<f8").reshape(n, n)
    repeats = 5 if n <= 1000 else 3
    entry = {}
    entry["eigvalsh"], entry["eigvalsh_cpu"] = best_of(np.linalg.eigvalsh, a, repeats)
    entry["eigh"], entry["eigh_cpu"] = best_of(np.linalg.eigh, a, repeats)
    if threadpool_limits:
        with threadpool_limits(limits=1):
            entry["eigvalsh_1thread"], entry["eigvalsh_1thread_cpu"] = best_of(np.linalg.eigvalsh, a, repeats)
            entry["eigh_1thread"], entry["eigh_1thread_cpu"] = best_of(np.linalg.eigh, a, repeats)
    w = np.linalg.eigvalsh(a)
    norm = np.linalg.norm(a)
    values_file = data / f"ours-{n}-values.f64"
    vectors_file = data / f"ours-{n}-vectors.f64"
    if values_file.exists():
        ours = np.fromfile(values_file, dtype="<f8")
        entry["ours_values_vs_numpy"] = float(np.max(np.abs(ours - w)) / norm)
    if vectors_file.exists():
        lam = np.fromfile(data / f"ours-{n}-pair-values.f64", dtype="<f8")
        v = np.fromfile(vectors_file, dtype="<f8").reshape(n, n)
        entry["ours_residual"] = float(np.linalg.norm(a @ v - v * lam) / norm)
        entry["ours_orthogonality"] = float(np.linalg.norm(v.T @ v - np.eye(n)))
    result["sizes"][str(n)] = entry
    print(f"numpy n={n}: eigvalsh {entry['eigvalsh']:.4f}s eigh {entry['eigh']:.4f}s", file=sys.stderr)
(data / "numpy.json").write_text(json.dumps(result, indent=1))
