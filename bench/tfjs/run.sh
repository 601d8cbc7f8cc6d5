#!/usr/bin/env bash
# Benchmark of the tfjs Hessian-vector product against PyTorch (not a test; never gates CI).
# Needs: pnpm --filter @intrinsic/models build; Debian python3-torch (apt-get install -y python3-torch).
set -euo pipefail
cd "$(dirname "$0")"
node hvp-bench.mjs "$@"
