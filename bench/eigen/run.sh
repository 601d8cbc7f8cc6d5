#!/usr/bin/env bash
# Dense symmetric eigensolver benchmark: @intrinsic/spectra vs ml-matrix vs numpy (LAPACK dsyevd via OpenBLAS),
# on the same random symmetric matrices (generated once by numpy with a seed, read by both sides).
# Not run in CI. Needs Debian's numpy: apt-get update && apt-get install -y python3-numpy python3-threadpoolctl
# (threadpoolctl is optional: it reports the OpenBLAS kernel and allows the one-thread numpy column).
# EIGEN_SIZES overrides the orders (default 250,500,1000,2000). Takes about 2–3 minutes (ml-matrix dominates).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes="${EIGEN_SIZES:-250,500,1000,2000}"
data="$here/.data"
mkdir -p "$here/.build" "$data"
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  echo "bench/eigen needs Debian's numpy: apt-get update && apt-get install -y python3-numpy python3-threadpoolctl" >&2
  exit 1
fi
# The same code as packages/spectra/dist (tsup bundles with esbuild too), bundled straight from src so that a
# type error elsewhere in the package cannot block the benchmark.
"$root/node_modules/.bin/esbuild" "$root/packages/spectra/src/index.ts" --bundle --platform=neutral --format=esm \
  --target=es2022 --outfile="$here/.build/spectra.mjs" --log-level=warning
/usr/bin/python3 "$here/generate.py" "$data" "$sizes"
node "$here/eigen-bench.mjs" "$data" "$sizes"
# OpenBLAS tuning variables may be set on this machine; unset them for numpy only, so that OpenBLAS picks its
# own kernel for this CPU (reported in the output).
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/numpy_eigen.py" "$data" "$sizes"
/usr/bin/python3 "$here/report.py" "$data"
