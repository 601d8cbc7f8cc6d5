"""Exploration prototype (float64, torch on CPU) for issue #7: one-shot WoodFisher against global magnitude on
the 784-40-20-10 ReLU MLP without bias, to scan protocol variants quickly before measuring one with the CLI.

Not the benchmark: the figures of docs/pruning.md that come from here are marked as prototype figures.
The formulas are those of packages/pruning (per block B with gradient rows G_B, n × c):
  F_B = lam I + (1/n) G_B^T G_B,  F_B^-1 = lam^-1 (I - G_B^T (lam n I + G_B G_B^T)^-1 G_B)   (push-through)
  saliency w_q^2 / (2 [F^-1]_qq), one global threshold, superposed OBS update dw = -scale F^-1 c,
  c_q = w_q / [F^-1]_qq on the pruned set, pruned weights set to 0 (Singh & Alistarh, NeurIPS 2020).
Gradient rows are per-sample gradients (batch 1) or mean gradients of mini-batches (WoodFisher's
--fisher-mini-bsz). On network 0 of run.sh it gives the CLI's magnitude figure exactly (80.40 %) and WoodFisher
within the spread of the gradient subsets (80.90 % on both of its subsets; the CLI's three: 79.25, 80.95, 81.45 %;
the subsets differ, the prototype draws them with torch.randperm).

usage:
  python3 woodfisher_proto.py prune RUN_FOLDER DATA_DIR [--n 100] [--batch 1] [--damp 1e-5] [--scale 1]
                                     [--block layer|full] [--seeds 2]
  python3 woodfisher_proto.py train DATA_DIR --init pytorch|glorot --lr 0.001 --epochs 188 [--seeds 2]
DATA_DIR holds train-x.f64, train-y.i32, test-x.f64, test-y.i32 from dump-splits.ts (README.md).
"""
import argparse, json, math
import numpy as np
import torch

torch.set_num_threads(1)
T = torch.float64


def load_net(run):
    arrays = json.load(open(run + '/params.json'))['arrays']
    return [torch.tensor(arrays[k]['values'], dtype=T) for k in ('W1', 'W2', 'W3')]


def load_data(d):
    def x(name): return torch.tensor(np.fromfile(f'{d}/{name}-x.f64').reshape(-1, 784))
    def y(name): return torch.tensor(np.fromfile(f'{d}/{name}-y.i32', dtype=np.int32)).long()
    return x('train'), y('train'), x('test'), y('test')


def forward(W, X):
    h1 = torch.relu(X @ W[0].T)
    h2 = torch.relu(h1 @ W[1].T)
    return h1, h2, h2 @ W[2].T


def evaluate(W, X, y):
    z = forward(W, X)[2]
    return (z.argmax(1) == y).double().mean().item() * 100, torch.nn.functional.cross_entropy(z, y).item()


def per_sample_grads(W, X, y):
    """Rows: gradients of the per-sample cross-entropy with respect to W1, W2, W3 (back-propagation by hand)."""
    h1, h2, z = forward(W, X)
    d3 = torch.softmax(z, 1)
    d3[torch.arange(len(y)), y] -= 1
    d2 = (d3 @ W[2]) * (h2 > 0)
    d1 = (d2 @ W[1]) * (h1 > 0)
    n = len(y)
    return [torch.einsum('ni,nj->nij', a, b).reshape(n, -1) for a, b in ((d1, X), (d2, h1), (d3, h2))]


def fisher_grads(W, X, y, n, batch, seed):
    """n gradient rows: means over mini-batches of `batch` samples drawn without replacement."""
    if n * batch > len(y): raise SystemExit(f'n × batch = {n * batch} is more than the {len(y)} training samples')
    idx = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))[: n * batch]
    rows = [[], [], []]
    for s in range(0, n * batch, 500 * batch):
        ii = idx[s: s + 500 * batch]
        for l, g in enumerate(per_sample_grads(W, X[ii], y[ii])): rows[l].append(g.reshape(-1, batch, g.shape[1]).mean(1))
    return [torch.cat(r) for r in rows]


def magnitude(W, sparsity):
    w = torch.cat([Wl.reshape(-1) for Wl in W])
    pruned = torch.zeros(len(w), dtype=torch.bool)
    pruned[torch.argsort(w.abs())[: round(sparsity * len(w))]] = True
    return unflatten(torch.where(pruned, torch.zeros_like(w), w), W), pruned


def unflatten(flat, W):
    out, off = [], 0
    for Wl in W:
        out.append(flat[off: off + Wl.numel()].reshape(Wl.shape)); off += Wl.numel()
    return out


def woodfisher(W, G, damp, sparsity, scale=1.0, block='layer'):
    """One-shot WoodFisher with blocks per layer or one block over all weights (closed form, n × n solves)."""
    w = torch.cat([Wl.reshape(-1) for Wl in W])
    blocks = G if block == 'layer' else [torch.cat(G, 1)]
    n = blocks[0].shape[0]
    factors, inv_diag = [], []
    for Gb in blocks:
        L = torch.linalg.cholesky(damp * n * torch.eye(n, dtype=T) + Gb @ Gb.T)
        A = torch.linalg.solve_triangular(L, Gb, upper=False)
        inv_diag.append((1 - (A * A).sum(0)) / damp)  # [F^-1]_qq = lam^-1 (1 - h_q)
        factors.append(L)
        del A
    d = torch.cat(inv_diag)
    pruned = torch.zeros(len(w), dtype=torch.bool)
    pruned[torch.argsort(w * w / (2 * d))[: round(sparsity * len(w))]] = True
    new, off = [], 0
    for Gb, L in zip(blocks, factors):
        m = Gb.shape[1]
        wb, pb, db = w[off: off + m], pruned[off: off + m], d[off: off + m]
        c = torch.where(pb, wb / db, torch.zeros_like(wb))
        v = torch.cholesky_solve((Gb @ c).unsqueeze(1), L).squeeze(1)
        nb = wb - scale * (c - Gb.T @ v) / damp
        nb[pb] = 0
        new.append(nb); off += m
    return unflatten(torch.cat(new), W), pruned


def train(X, y, init, lr, epochs, seed, batch=64):
    """SGD with momentum 0.5, batch 64, cross-entropy; init 'pytorch' U(±1/√fan_in) or 'glorot' U(±√(6/(fan_in+fan_out)))."""
    g = torch.Generator().manual_seed(seed)
    W = []
    for fo, fi in [(40, 784), (20, 40), (10, 20)]:
        bound = 1 / math.sqrt(fi) if init == 'pytorch' else math.sqrt(6 / (fi + fo))
        W.append(((torch.rand(fo, fi, generator=g, dtype=T) * 2 - 1) * bound).requires_grad_())
    opt = torch.optim.SGD(W, lr=lr, momentum=0.5)
    for _ in range(epochs):
        perm = torch.randperm(len(y), generator=g)
        for s in range(0, len(y), batch):
            ii = perm[s: s + batch]
            loss = torch.nn.functional.cross_entropy(forward(W, X[ii])[2], y[ii])
            opt.zero_grad(); loss.backward(); opt.step()
    return [w.detach() for w in W]


def report(tag, W, X, y, Xt, yt, args):
    Wm, pm = magnitude(W, 0.95)
    line = [f'{tag} dense {evaluate(W, Xt, yt)[0]:.2f} magnitude {evaluate(Wm, Xt, yt)[0]:.2f}']
    for s in range(args.seeds):
        Ww, pw = woodfisher(W, fisher_grads(W, X, y, args.n, args.batch, s), args.damp, 0.95, args.scale, args.block)
        acc, loss = evaluate(Ww, Xt, yt)
        line.append(f'woodfisher[{s}] {acc:.2f} (loss {loss:.3f}, mask shared with magnitude {(pw & pm).sum().item() / pm.sum().item():.4f})')
    print(f'{"; ".join(line)}  [n {args.n} × batch {args.batch}, damp {args.damp}, scale {args.scale}, block {args.block}]', flush=True)


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['prune', 'train'])
    ap.add_argument('paths', nargs='+')
    ap.add_argument('--n', type=int, default=100)
    ap.add_argument('--batch', type=int, default=1)
    ap.add_argument('--damp', type=float, default=1e-5)
    ap.add_argument('--scale', type=float, default=1.0)
    ap.add_argument('--block', choices=['layer', 'full'], default='layer')
    ap.add_argument('--seeds', type=int, default=2)
    ap.add_argument('--init', choices=['pytorch', 'glorot'], default='pytorch')
    ap.add_argument('--lr', type=float, default=0.001)
    ap.add_argument('--epochs', type=int, default=188)
    args = ap.parse_args()
    if args.mode == 'prune':
        run, data = args.paths
        X, y, Xt, yt = load_data(data)
        report(run, load_net(run), X, y, Xt, yt, args)
    else:
        X, y, Xt, yt = load_data(args.paths[0])
        for seed in range(2):
            W = train(X, y, args.init, args.lr, args.epochs, seed)
            report(f'{args.init} init, lr {args.lr}, {args.epochs} epochs, seed {seed}: train {evaluate(W, X, y)[0]:.2f}', W, X, y, Xt, yt, args)
