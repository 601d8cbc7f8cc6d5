"""Times torch.autograd.functional.hvp for the benchmark in hvp-bench.mjs (same weights, data, vector).

Usage: python3 torch_hvp.py DIR   (DIR holds params.bin, inputs.bin, targets.bin, v.bin as float32, meta.json)
Writes DIR/torch_hv.bin and prints one JSON line with the timings.
"""
import json
import statistics
import sys
import time

import numpy as np
import torch

folder = sys.argv[1]
meta = json.load(open(f"{folder}/meta.json"))
widths, count, repeats = meta["widths"], meta["count"], meta["repeats"]
load = lambda name: torch.from_numpy(np.fromfile(f"{folder}/{name}", dtype=np.float32))
flat, v_flat = load("params.bin"), load("v.bin")
x = load("inputs.bin").reshape(count, widths[0])
y = load("targets.bin").reshape(count, widths[-1])

# Same layout as Intrinsic: W_l with shape [out, in], row-major, layer after layer (no bias).
shapes = [(widths[l + 1], widths[l]) for l in range(len(widths) - 1)]
sizes = [a * b for a, b in shapes]
def split(vector):
    out, offset = [], 0
    for shape, size in zip(shapes, sizes):
        out.append(vector[offset:offset + size].reshape(shape).clone())
        offset += size
    return tuple(out)

params, v = split(flat), split(v_flat)

def loss(*weights):
    a = x
    for l, w in enumerate(weights):
        a = a @ w.T
        if l < len(weights) - 1:
            a = torch.relu(a)
    # mean softmax cross-entropy with one-hot targets
    return -(y * torch.log_softmax(a, dim=1)).sum() / count

def hvp():
    return torch.autograd.functional.hvp(loss, params, v)[1]

def double_backward():
    ws = tuple(p.detach().requires_grad_(True) for p in params)
    g = torch.autograd.grad(loss(*ws), ws, create_graph=True)
    gv = sum((gi * vi).sum() for gi, vi in zip(g, v))
    return torch.autograd.grad(gv, ws)

def timed(fn):
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t))
    return statistics.median(times), min(times)

hv = torch.cat([h.reshape(-1) for h in hvp()])
hv.numpy().astype(np.float32).tofile(f"{folder}/torch_hv.bin")
hvp_ms, hvp_min = timed(hvp)
double_ms, double_min = timed(double_backward)
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "hvpMs": hvp_ms, "hvpMinMs": hvp_min, "doubleBackwardMs": double_ms, "doubleBackwardMinMs": double_min}))
