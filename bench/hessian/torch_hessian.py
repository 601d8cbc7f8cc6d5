"""Exact Hessian of the same MLP loss with torch.autograd.functional.hessian, timed in the same run
as the TypeScript assembly (bench.mjs writes the cases and its own timings first).

Usage: /usr/bin/python3 torch_hessian.py DIR [--repeats R]
Reads DIR/cases.json, DIR/<name>.case.json, DIR/<name>.H.f64 (this project's H, float64 little-endian,
row-major p x p) and DIR/<name>.times.json; prints one table row per case and writes DIR/results.json.
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import torch

torch.set_default_dtype(torch.float64)


def activation(name):
    return {
        'tanh': torch.tanh,
        'relu': torch.relu,
        'linear': lambda z: z,
        'sigmoid': torch.sigmoid,
        'softplus': torch.nn.functional.softplus,
    }[name]


def make_loss(case):
    widths = case['widths']
    sigma = activation(case['activation'])
    X = torch.tensor(case['inputs']).reshape(case['count'], widths[0])
    Y = torch.tensor(case['targets']).reshape(case['count'], widths[-1])
    N = case['count']
    bias = case['bias']
    shapes = []
    for l in range(1, len(widths)):
        shapes.append(('W', widths[l], widths[l - 1]))
        if bias:
            shapes.append(('b', widths[l], 1))

    def loss(theta):
        offset = 0
        a = X
        L = len(widths) - 1
        for l in range(1, L + 1):
            fan_out, fan_in = widths[l], widths[l - 1]
            W = theta[offset:offset + fan_out * fan_in].reshape(fan_out, fan_in)
            offset += fan_out * fan_in
            z = a @ W.T
            if bias:
                z = z + theta[offset:offset + fan_out]
                offset += fan_out
            a = sigma(z) if l < L else z
        if case['loss'] == 'mse':
            return 0.5 * ((a - Y) ** 2).sum() / N
        return -(Y * torch.log_softmax(a, dim=1)).sum() / N

    return loss


def main():
    directory = sys.argv[1]
    repeats = int(sys.argv[sys.argv.index('--repeats') + 1]) if '--repeats' in sys.argv else 5
    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    names = json.load(open(os.path.join(directory, 'cases.json')))
    results = []
    for name in names:
        case = json.load(open(os.path.join(directory, f'{name}.case.json')))
        ours = json.load(open(os.path.join(directory, f'{name}.times.json')))
        p = case['p']
        theta = torch.tensor(case['params'])
        loss = make_loss(case)
        value = loss(theta).item()
        times = []
        cpu = []
        for _ in range(case['warmups']):  # the same warm-up runs as the TypeScript side, not timed
            H = torch.autograd.functional.hessian(loss, theta)
        for _ in range(repeats):
            H = None
            start = time.perf_counter()
            cpu_start = time.process_time()
            H = torch.autograd.functional.hessian(loss, theta)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
        H = H.numpy()
        mine = np.fromfile(os.path.join(directory, f'{name}.H.f64'), dtype='<f8').reshape(p, p)
        difference = float(np.linalg.norm(mine - H) / np.linalg.norm(H))
        torch_median = statistics.median(times)
        row = {
            'case': case['name'],
            'p': p,
            'torchSeconds': torch_median,
            'torchCpuSeconds': statistics.median(cpu),
            'oursHCpuSeconds': ours['hessianCpuSeconds'],
            'torchRepeats': len(times),
            'warmups': case['warmups'],
            'oursHSeconds': ours['hessianSeconds'],
            'oursAllSeconds': ours.get('decompositionSeconds'),
            'relativeDifference': difference,
            'lossDifference': abs(value - ours['lossValue']),
            'torchThreads': torch.get_num_threads(),
        }
        results.append(row)
        del H, mine
    json.dump(results, open(os.path.join(directory, 'results.json'), 'w'), indent=2)
    print(f'torch {torch.__version__}, numpy {np.__version__}, torch.get_num_threads() = {torch.get_num_threads()}, float64, '
          f'load average {" ".join(f"{x:.1f}" for x in os.getloadavg())}')
    print('| case | p | torch hessian, wall (s) | ours H, wall (s) | torch / ours (wall) | torch CPU (s) | ours H CPU (s) | ours H+H_O+H_F, wall (s) | ‖H_ours − H_torch‖_F/‖H_torch‖_F |')
    print('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    ok = True
    for r in results:
        both = '—' if r['oursAllSeconds'] is None else f"{r['oursAllSeconds']:.3f}"
        print(f"| {r['case']} | {r['p']} | {r['torchSeconds']:.3f} | {r['oursHSeconds']:.3f} | "
              f"{r['torchSeconds'] / r['oursHSeconds']:.2f}× | {r['torchCpuSeconds']:.3f} | {r['oursHCpuSeconds']:.3f} | {both} | {r['relativeDifference']:.2e} |")
        ok = ok and r['relativeDifference'] < 1e-10
    print(f'medians of {repeats} runs after the same warm-up runs on both sides; CPU = process CPU time (all threads)')
    print('agreement to 1e-10 relative:', 'yes' if ok else 'NO')
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
