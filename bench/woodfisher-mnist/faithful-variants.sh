#!/usr/bin/env bash
# Issue #7, second look: the protocol differences to the WoodFisher repository that run.sh does not cover,
# measured one at a time with the CLI (3 networks × 3 gradient subsets each, one-shot to 95 %, global threshold,
# damping 1e-5, as run.sh):
#  1. the networks of run.sh (glorot-uniform, lr 0.005), WoodFisher with 100 mini-batch gradients of 10 samples
#     (the repository's --fisher-mini-bsz; its K-FAC comparison script used 5,000 × 10);
#  2. the same networks, 800 mini-batch gradients of 10 samples: all 8,000 training digits;
#  3. new networks with PyTorch's default initialisation U(±1/√fan_in) (the authors' MLPNet is a PyTorch
#     nn.Linear model) and lr 0.0075, which gives the same lr × steps per epoch as their lr 0.001 with 938 steps
#     on 60,000 digits (0.0075 × 125 = 0.94); all four methods, and WoodFisher with 100 mini-batch gradients of 10.
# Usage: bench/woodfisher-mnist/faithful-variants.sh [OUT_DIR]   (after run.sh has trained OUT_DIR/net-{0,1,2};
# build the CLI first: pnpm --filter @intrinsic/cli build). Prints both tables with summarize.mjs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cli="nice -n 10 node $root/apps/cli/dist/bin.js"
out="${1:-$here/results}"
common="--sparsity 0.95 --damp 1e-5 --scope global --seeds 3"
for seed in 0 1 2; do
  [ -f "$out/net-$seed/params.json" ] || { echo "run bench/woodfisher-mnist/run.sh $out first (network $seed is missing)" >&2; exit 2; }
  $cli prune --model "$out/net-$seed" --method woodfisher --gradients 100 --fisher-batch 10 $common --out "$out/prune95-b10-$seed" > "$out/prune95-b10-$seed.txt"
  $cli prune --model "$out/net-$seed" --method woodfisher --gradients 800 --fisher-batch 10 $common --out "$out/prune95-b10-n800-$seed" > "$out/prune95-b10-n800-$seed.txt"
done
pt="$out/pytorch-init"
mkdir -p "$pt"
for seed in 0 1 2; do
  if [ ! -f "$pt/net-$seed/params.json" ]; then
    $cli train --data mnist --widths 784,40,20,10 --activation relu --no-bias --loss ce --batch-size 64 \
      --train-samples 8000 --test-samples 2000 --optimizer sgd --lr 0.0075 --momentum 0.5 --init pytorch-uniform \
      --normalization global-standardize --epochs 25 --seed "$seed" --out "$pt/net-$seed" --json > "$pt/train-$seed.json"
  fi
  $cli prune --model "$pt/net-$seed" --method magnitude,diag-fisher,woodfisher,kfac --gradients 100 $common --out "$pt/prune95-$seed" > "$pt/prune95-$seed.txt"
  $cli prune --model "$pt/net-$seed" --method woodfisher --gradients 100 --fisher-batch 10 $common --out "$pt/prune95-b10-$seed" > "$pt/prune95-b10-$seed.txt"
done
echo "== networks of run.sh (glorot-uniform, lr 0.005)"
node "$here/summarize.mjs" "$out"
echo "== PyTorch default initialisation, lr 0.0075"
node "$here/summarize.mjs" "$pt"
