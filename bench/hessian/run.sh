#!/usr/bin/env bash
# Exact Hessian benchmark: this project (structured assembly, Node) against torch.autograd.functional.hessian
# (Debian python3-torch, float64) on the same weights and data, in one run. Not part of CI.
#   bash bench/hessian/run.sh [--quick] [--repeats R]
# Needs: apt-get install -y python3-torch python3-numpy; packages built (pnpm --filter @intrinsic/hessian... build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${BENCH_DIR:-$(mktemp -d /tmp/intrinsic-hessian-bench.XXXXXX)}"
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "run.sh: needs Debian's python3-torch and python3-numpy (apt-get install -y python3-torch python3-numpy)" >&2
  exit 2
fi
for pkg in spectra models hessian; do
  if [ ! -f "$root/packages/$pkg/dist/index.js" ]; then
    echo "run.sh: packages/$pkg/dist is missing; run: pnpm --filter @intrinsic/hessian... build" >&2
    exit 2
  fi
done
repeats=5
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) args+=(--quick) ;;
    --repeats) repeats="$2"; shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
echo "work folder: $out"
node --max-old-space-size=8192 "$here/bench.mjs" "$out" --repeats "$repeats" "${args[@]}"
/usr/bin/python3 "$here/torch_hessian.py" "$out" --repeats "$repeats"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$out"
