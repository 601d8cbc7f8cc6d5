#!/usr/bin/env bash
# Lanczos (@intrinsic/spectra) vs scipy eigsh (ARPACK): matvecs to reach ||Av - θv|| <= 1e-8·||A||_2 on the top 10.
# Not run in CI. Needs /usr/bin/python3 with numpy and scipy (apt-get install -y python3-scipy python3-numpy).
# BENCH_N sets the order (default 1000).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mkdir -p "$here/.build" "$here/.data"
"$root/node_modules/.bin/esbuild" "$here/entry.ts" --bundle --platform=node --format=esm \
  --outfile="$here/.build/spectra.mjs" --log-level=warning
node "$here/generate-and-run.mjs" "$here/.data"
/usr/bin/python3 "$here/arpack.py" "$here/.data"
