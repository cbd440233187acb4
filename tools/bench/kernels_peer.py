#!/usr/bin/env python3
"""Compare `fovea bench kernels` with numpy/OpenBLAS SGEMM and PyTorch convolutions in one run.

Usage:
    python3 tools/bench/kernels_peer.py [FOVEA_BINARY] [--rounds N] [--repeats N] [--threads N]

Without FOVEA_BINARY it runs `swift run -c release fovea bench kernels --json`. Every party runs
in its own child process with the same thread count; with --rounds N the whole set runs N times,
interleaved, and each case keeps its best round (the machine is shared and noisy). Prints a table
of GFLOP/s and the ratio Fovea / best peer (for convolutions, the faster of PyTorch NCHW and
channels-last). Shapes and names match Sources/FoveaKernels/KernelBenchmarks.swift.
"""
import argparse
import json
import os
import subprocess
import sys

GEMM_SIZES = [256, 512, 1024, 2048]
# name, (N, C, H, W), O, kernel, padding, groups — as in KernelBenchmarks.convLayers
CONV_LAYERS = [
    ("conv3x3 64→64 56x56 b32", (32, 64, 56, 56), 64, 3, 1, 1),
    ("conv3x3 16→16 32x32 b128", (128, 16, 32, 32), 16, 3, 1, 1),
    ("depthwise3x3 96 56x56 b8", (8, 96, 56, 56), 96, 3, 1, 96),
    ("depthwise7x7 96 56x56 b8", (8, 96, 56, 56), 96, 7, 3, 96),
]

NUMPY_CHILD = r'''
import ctypes, glob, json, os, sys, time
import numpy as np
threads, repeats = int(sys.argv[1]), int(sys.argv[2])
core = "unknown"
try:
    from threadpoolctl import threadpool_info
    core = ";".join(f"{i.get('internal_api')} {i.get('architecture')} {i.get('version')}" for i in threadpool_info())
except ImportError:
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*"))
    for lib in libs:
        try:
            dll = ctypes.CDLL(lib)
            for sym in ("scipy_openblas_get_corename64_", "openblas_get_corename"):
                if hasattr(dll, sym):
                    f = getattr(dll, sym); f.restype = ctypes.c_char_p
                    core = "OpenBLAS " + f().decode()
        except OSError:
            pass
print(json.dumps({"info": f"numpy {np.__version__}, BLAS kernel: {core}"}), flush=True)
rng = np.random.default_rng(0)
for n in [int(s) for s in sys.argv[3].split(",") if s]:
    a = rng.standard_normal((n, n), dtype=np.float32); b = rng.standard_normal((n, n), dtype=np.float32)
    c = np.empty((n, n), dtype=np.float32)
    np.matmul(a, b, out=c)
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); np.matmul(a, b, out=c); times.append(time.perf_counter() - t)
    s = sorted(times)[len(times) // 2]
    print(json.dumps({"name": f"sgemm n={n}", "seconds": s, "gflops": 2 * n ** 3 / s / 1e9}), flush=True)
'''

TORCH_CHILD = r'''
import json, sys, time
import torch
import torch.nn.functional as F
threads, repeats = int(sys.argv[1]), int(sys.argv[2])
layers = json.loads(sys.argv[3])
torch.set_num_threads(threads)
print(json.dumps({"info": f"torch {torch.__version__}, threads {torch.get_num_threads()}"}), flush=True)
def median_time(fn):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]
for n in [int(s) for s in sys.argv[4].split(",") if s]:
    a = torch.randn(n, n); b = torch.randn(n, n); c = torch.empty(n, n)
    s = median_time(lambda: torch.mm(a, b, out=c))
    print(json.dumps({"name": f"sgemm n={n}", "format": "torch.mm", "seconds": s, "gflops": 2 * n ** 3 / s / 1e9}), flush=True)
for name, (N, C, H, W), O, k, pad, groups in layers:
    macs = N * O * H * W * (C // groups) * k * k  # stride 1, "same" padding: OH = H
    for fmt in ["NCHW", "channels_last"]:
        mf = torch.channels_last if fmt == "channels_last" else torch.contiguous_format
        x = torch.randn(N, C, H, W).to(memory_format=mf)
        w = torch.randn(O, C // groups, k, k).to(memory_format=mf)
        bias = torch.randn(O)
        with torch.no_grad():
            s = median_time(lambda: F.conv2d(x, w, bias, padding=pad, groups=groups))
        print(json.dumps({"name": name + " fwd", "format": fmt, "seconds": s, "gflops": 2 * macs / s / 1e9}), flush=True)
        xg = x.clone().requires_grad_(); wg = w.clone().requires_grad_(); bg = bias.clone().requires_grad_()
        dy = torch.randn(N, O, H, W).to(memory_format=mf)
        def step():
            xg.grad = None; wg.grad = None; bg.grad = None
            F.conv2d(xg, wg, bg, padding=pad, groups=groups).backward(dy)
        s = median_time(step)
        print(json.dumps({"name": name + " fwd+bwd", "format": fmt, "seconds": s, "gflops": 6 * macs / s / 1e9}), flush=True)
'''


def run_child(cmd, env=None):
    out = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    rows, info = [], []
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        obj = json.loads(line)
        (info if "info" in obj else rows).append(obj.get("info", obj))
    return rows, info


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("fovea", nargs="?", help="path to a built fovea binary (default: swift run -c release fovea)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--filter", default="", help="only cases whose name contains this text")
    args = ap.parse_args()

    fovea_cmd = [args.fovea] if args.fovea else ["swift", "run", "-c", "release", "fovea"]
    fovea_cmd += ["bench", "kernels", "--json", "--repeats", str(args.repeats), "--filter", args.filter]
    layers = [l for l in CONV_LAYERS if any(args.filter in l[0] + s for s in (" fwd", " fwd+bwd"))]
    gemm_sizes = [n for n in GEMM_SIZES if args.filter in f"sgemm n={n}"]
    fovea_env = dict(os.environ, FOVEA_THREADS=str(args.threads))
    # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on some of our machines and slow a current numpy:
    # unset both for the numpy child only, so OpenBLAS picks its own kernel for this CPU.
    numpy_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    numpy_env["OPENBLAS_NUM_THREADS"] = str(args.threads)
    sizes = ",".join(map(str, gemm_sizes))

    best = {}  # (party, name) -> gflops, best over rounds
    infos = set()
    for _ in range(args.rounds):
        parties = [
            ("fovea", fovea_cmd, fovea_env),
            ("numpy", [sys.executable, "-c", NUMPY_CHILD, str(args.threads), str(args.repeats), sizes], numpy_env),
            ("torch", [sys.executable, "-c", TORCH_CHILD, str(args.threads), str(args.repeats),
                       json.dumps(layers), sizes], None),
        ]
        for party, cmd, env in parties:
            if party == "numpy" and not gemm_sizes:
                continue
            rows, info = run_child(cmd, env)
            infos.update(info)
            for r in rows:
                key = (party + (" " + r["format"] if "format" in r else ""), r["name"])
                best[key] = max(best.get(key, 0.0), r["gflops"])

    names = [f"sgemm n={n}" for n in gemm_sizes]
    names += [l[0] + suffix for l in layers for suffix in (" fwd", " fwd+bwd") if args.filter in l[0] + suffix]
    cols = ["fovea", "numpy", "torch torch.mm", "torch NCHW", "torch channels_last"]
    print(f"threads {args.threads}, rounds {args.rounds}, repeats {args.repeats}; " + "; ".join(sorted(infos)))
    print()
    print("| case | Fovea | OpenBLAS (numpy) | torch.mm | PyTorch NCHW | PyTorch channels-last | Fovea / peer |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        vals = [best.get((c, name)) for c in cols]
        # The peer: OpenBLAS for SGEMM (the target), the faster PyTorch format for convolutions.
        peer = vals[1] if name.startswith("sgemm") else max([v for v in vals[3:] if v] or [0])
        ratio = f"{vals[0] / peer:.2f}x" if vals[0] and peer else "–"
        cells = [f"{v:.1f}" if v else "–" for v in vals]
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio} |")
    print()
    print("GFLOP/s (multiply-add = 2 FLOPs; fwd+bwd counts forward, input and weight gradients).")


if __name__ == "__main__":
    main()
