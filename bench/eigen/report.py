"""Prints the side-by-side table of bench/eigen from DIR/node.json and DIR/numpy.json."""
import json
import sys
from pathlib import Path

data = Path(sys.argv[1])
node = json.loads((data / "node.json").read_text())
numpy = json.loads((data / "numpy.json").read_text())

print(f"machine: {node['cpus']} cores, {node['cpu']}; load average at start {', '.join(f'{x:.2f}' for x in node['loadavg'])}")
print(f"node {node['node']} (single thread) | numpy {numpy['numpy']} | {'; '.join(numpy['blas']) or 'BLAS info unavailable (no threadpoolctl)'}")
print("times in seconds, best of several runs; ml-matrix has no values-only mode, its one time is the full decomposition")
print()
header = f"{'n':>5} | {'ours vals':>9} {'ours pairs':>10} | {'ml-matrix':>9} | {'np eigvalsh':>11} {'1 thread':>8} | {'np eigh':>8} {'1 thread':>8}"
print(header)
print("-" * len(header))
for n, o in node["sizes"].items():
    p = numpy["sizes"][n]
    ml = f"{o['mlMatrix']:9.3f}" if o["mlMatrix"] is not None else f"{'skipped':>9}"
    print(
        f"{n:>5} | {o['oursValues']:9.3f} {o['oursPairs']:10.3f} | {ml} | {p['eigvalsh']:11.4f} {p.get('eigvalsh_1thread', float('nan')):8.4f}"
        f" | {p['eigh']:8.4f} {p.get('eigh_1thread', float('nan')):8.4f}"
    )
print()
print("ratios (>1 means ours is faster for 'ml-matrix / ours'; 'ours / numpy' is how many times slower than LAPACK)")
header = f"{'n':>5} | {'ml/ours vals':>12} {'ml/ours pairs':>13} | {'ours/eigvalsh':>13} {'(1 thr)':>8} | {'ours/eigh':>9} {'(1 thr)':>8}"
print(header)
print("-" * len(header))
for n, o in node["sizes"].items():
    p = numpy["sizes"][n]
    if o["mlMatrix"] is not None:
        mlv = f"{o['mlMatrix'] / o['oursValues']:12.1f}"
        mlp = f"{o['mlMatrix'] / o['oursPairs']:13.1f}"
    else:
        mlv = f"{'-':>12}"
        mlp = f"{'-':>13}"
    v1 = o["oursValues"] / p["eigvalsh_1thread"] if "eigvalsh_1thread" in p else float("nan")
    p1 = o["oursPairs"] / p["eigh_1thread"] if "eigh_1thread" in p else float("nan")
    print(f"{n:>5} | {mlv} {mlp} | {o['oursValues'] / p['eigvalsh']:13.1f} {v1:8.1f} | {o['oursPairs'] / p['eigh']:9.1f} {p1:8.1f}")
    if o["mlMatrixNote"]:
        print(f"      ml-matrix {o['mlMatrixNote']}")
print()
print("accuracy of ours, checked in numpy (float64 BLAS): ‖AV−VΛ‖_F/‖A‖_F, ‖VᵀV−I‖_F, max|λ_ours − λ_numpy|/‖A‖_F")
for n in node["sizes"]:
    p = numpy["sizes"][n]
    print(
        f"{n:>5} | residual {p.get('ours_residual', float('nan')):.2e}  orthogonality {p.get('ours_orthogonality', float('nan')):.2e}"
        f"  values {p.get('ours_values_vs_numpy', float('nan')):.2e}"
    )
