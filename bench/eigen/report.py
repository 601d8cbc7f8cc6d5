"""Prints the side-by-side tables of bench/eigen from DIR/node.json and DIR/numpy.json."""
import json
import sys
from pathlib import Path

data = Path(sys.argv[1])
node = json.loads((data / "node.json").read_text())
numpy = json.loads((data / "numpy.json").read_text())
nan = float("nan")


def fmt(x, width, digits=3):
    return f"{'-':>{width}}" if x is None else f"{x:{width}.{digits}f}"


def ratio(a, b, width):
    return f"{'-':>{width}}" if a is None or b is None else f"{a / b:{width}.1f}"


print(f"machine: {node['cpus']} cores, {node['cpu']}; load average {', '.join(f'{x:.2f}' for x in node['loadavg'])} at start,"
      f" {', '.join(f'{x:.2f}' for x in node.get('loadavgEnd', []))} after the Node part")
print(f"node {node['node']} (ours and ml-matrix: one thread) | numpy {numpy['numpy']} | "
      f"{'; '.join(numpy['blas']) or 'BLAS info unavailable (no threadpoolctl)'}")
print("seconds, best of 5 (n ≤ 500), 3 (n = 1000), 2 (n = 2000; numpy 3) runs; ml-matrix has no values-only mode:")
print("its one time is the full decomposition. 'cpu' = process CPU time (user + system, all threads), steadier than")
print("wall-clock time on a shared machine; for one-thread numpy it is directly comparable with ours.")
for label, suffix in (("wall-clock", ""), ("cpu", "_cpu")):
    print()
    print(f"[{label}]")
    header = f"{'n':>5} | {'ours vals':>9} {'ours pairs':>10} | {'ml-matrix':>9} | {'eigvalsh':>8} {'1 thread':>8} | {'eigh':>7} {'1 thread':>8}"
    print(header)
    print("-" * len(header))
    for n, o in node["sizes"].items():
        p = numpy["sizes"][n]
        key = "Cpu" if suffix else ""
        print(
            f"{n:>5} | {fmt(o['oursValues' + key], 9)} {fmt(o['oursPairs' + key], 10)} | {fmt(o['mlMatrix' + key], 9)} | "
            f"{fmt(p.get('eigvalsh' + suffix), 8, 4)} {fmt(p.get('eigvalsh_1thread' + suffix), 8, 4)} | "
            f"{fmt(p.get('eigh' + suffix), 7, 4)} {fmt(p.get('eigh_1thread' + suffix), 8, 4)}"
        )
    print()
    print(f"ratios [{label}]: 'ml/ours' > 1 means ours is faster; 'ours/np' is how many times slower than LAPACK")
    header = f"{'n':>5} | {'ml/ours vals':>12} {'ml/ours pairs':>13} | {'ours/eigvalsh':>13} {'1 thread':>8} | {'ours/eigh':>9} {'1 thread':>8}"
    print(header)
    print("-" * len(header))
    for n, o in node["sizes"].items():
        p = numpy["sizes"][n]
        key = "Cpu" if suffix else ""
        print(
            f"{n:>5} | {ratio(o['mlMatrix' + key], o['oursValues' + key], 12)} {ratio(o['mlMatrix' + key], o['oursPairs' + key], 13)} | "
            f"{ratio(o['oursValues' + key], p.get('eigvalsh' + suffix), 13)} {ratio(o['oursValues' + key], p.get('eigvalsh_1thread' + suffix), 8)} | "
            f"{ratio(o['oursPairs' + key], p.get('eigh' + suffix), 9)} {ratio(o['oursPairs' + key], p.get('eigh_1thread' + suffix), 8)}"
        )
for n, o in node["sizes"].items():
    if o["mlMatrixNote"]:
        print(f"ml-matrix at n = {n}: {o['mlMatrixNote']}")
print()
print("accuracy of ours, checked in numpy (float64 BLAS): ‖AV−VΛ‖_F/‖A‖_F, ‖VᵀV−I‖_F, max|λ_ours − λ_numpy|/‖A‖_F")
for n in node["sizes"]:
    p = numpy["sizes"][n]
    print(
        f"{n:>5} | residual {p.get('ours_residual', nan):.2e}  orthogonality {p.get('ours_orthogonality', nan):.2e}"
        f"  values {p.get('ours_values_vs_numpy', nan):.2e}"
    )
