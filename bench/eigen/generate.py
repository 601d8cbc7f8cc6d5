"""Writes the benchmark matrices: for each n, a random symmetric (G + Gᵀ)/2 with G ~ N(0, 1), seed 20261127 + n,
as little-endian float64 row-major in DIR/sym-<n>.f64. Both the Node and the numpy side read these same files."""
import sys
from pathlib import Path

import numpy as np

out = Path(sys.argv[1])
sizes = [int(s) for s in sys.argv[2].split(",")]
out.mkdir(parents=True, exist_ok=True)
for n in sizes:
    rng = np.random.default_rng(20261127 + n)
    g = rng.standard_normal((n, n))
    a = np.ascontiguousarray((g + g.T) / 2, dtype="<f8")
    a.tofile(out / f"sym-{n}.f64")
print(f"generated {', '.join(str(n) for n in sizes)} in {out}")
