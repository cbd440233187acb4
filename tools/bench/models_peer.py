#!/usr/bin/env python3
"""Inference latency: Fovea vs PyTorch (NCHW and channels-last) vs ONNX Runtime, in one run.

Usage:
    python3 tools/bench/models_peer.py [FOVEA_BINARY] [--models resnet18,mobilenet_v2,convnext_tiny]
        [--batches 1,16] [--repeats 10] [--rounds 2] [--threads 2]

Every side builds the same torchvision architecture with random weights, in evaluation mode
without gradients, on a random (batch, 3, 224, 224) input, and reports the median latency of
--repeats passes after warm-up:
  - Fovea: `fovea bench model --json` (FOVEA_THREADS=threads);
  - PyTorch: torchvision model, torch.set_num_threads(threads), inference_mode, NCHW and
    channels-last (the faster is "PyTorch best");
  - ONNX Runtime: the PyTorch model exported to ONNX in a temporary folder, CPU provider,
    intra_op_num_threads=threads, all graph optimisations.
Each side runs in its own child process, alternating for --rounds rounds; each keeps its best
round (the machine is shared). Prints a Markdown table with Fovea / ORT and Fovea / PyTorch best
(below 1 means Fovea is faster). Needs torch, torchvision and onnxruntime.
Without FOVEA_BINARY it uses `swift run -c release fovea`.
"""
import argparse
import json
import subprocess
import sys

TORCH_CHILD = r'''
import json, sys, time
import torch, torchvision
torch.set_num_threads(int(sys.argv[1]))
name, batches, repeats = sys.argv[2], [int(b) for b in sys.argv[3].split(",")], int(sys.argv[4])
torch.manual_seed(0)
model = torchvision.models.get_model(name, weights=None).eval()

def median_ms(fn, x):
    with torch.inference_mode():
        for _ in range(2): fn(x)
        times = []
        for _ in range(repeats):
            t = time.perf_counter(); fn(x); times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2] * 1000

for b in batches:
    x = torch.randn(b, 3, 224, 224)
    nchw = median_ms(model, x)
    cl_model = model.to(memory_format=torch.channels_last)
    cl = median_ms(cl_model, x.contiguous(memory_format=torch.channels_last))
    model = model.to(memory_format=torch.contiguous_format)
    print(json.dumps({"name": f"{name} b{b}", "nchw_ms": nchw, "channels_last_ms": cl}), flush=True)
'''

ORT_CHILD = r'''
import json, os, sys, tempfile, time, warnings
warnings.filterwarnings("ignore")
import numpy as np, torch, torchvision, onnxruntime as ort
threads, name, batches, repeats = int(sys.argv[1]), sys.argv[2], [int(b) for b in sys.argv[3].split(",")], int(sys.argv[4])
torch.manual_seed(0)
model = torchvision.models.get_model(name, weights=None).eval()
with tempfile.TemporaryDirectory() as folder:
    for b in batches:
        x = torch.randn(b, 3, 224, 224)
        path = os.path.join(folder, f"{name}_b{b}.onnx")
        torch.onnx.export(model, (x,), path, opset_version=17, dynamo=False)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        feed = {session.get_inputs()[0].name: x.numpy()}
        for _ in range(2): session.run(None, feed)
        times = []
        for _ in range(repeats):
            t = time.perf_counter(); session.run(None, feed); times.append(time.perf_counter() - t)
        print(json.dumps({"name": f"{name} b{b}", "ort_ms": sorted(times)[len(times) // 2] * 1000}), flush=True)
'''


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("fovea", nargs="?")
    p.add_argument("--models", default="resnet18,mobilenet_v2,convnext_tiny")
    p.add_argument("--batches", default="1")
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    fovea = [a.fovea] if a.fovea else ["swift", "run", "-c", "release", "fovea"]
    best = {}  # (case, column) -> best milliseconds

    def keep(case, column, ms):
        best[(case, column)] = min(best.get((case, column), float("inf")), ms)

    cases = []
    for r in range(a.rounds):
        for model in a.models.split(","):
            env = ["env", f"FOVEA_THREADS={a.threads}", f"OMP_NUM_THREADS={a.threads}"]
            for rec in run(env + fovea + ["bench", "model", "--json", "--model", model, "--batch", a.batches,
                                          "--repeats", str(a.repeats)]):
                keep(rec["name"], "fovea", rec["median_ms"])
                keep(rec["name"], "fovea_peak_rss_mib", rec["peak_rss_bytes"] / 2**20)
                keep(rec["name"], "weights_mib", rec["weight_bytes"] / 2**20)
                if rec["name"] not in cases:
                    cases.append(rec["name"])
            for rec in run(env + [sys.executable, "-c", TORCH_CHILD, str(a.threads), model, a.batches, str(a.repeats)]):
                keep(rec["name"], "nchw", rec["nchw_ms"])
                keep(rec["name"], "channels_last", rec["channels_last_ms"])
            for rec in run(env + [sys.executable, "-c", ORT_CHILD, str(a.threads), model, a.batches, str(a.repeats)]):
                keep(rec["name"], "ort", rec["ort_ms"])

    print("| model | Fovea ms | PyTorch NCHW ms | PyTorch channels-last ms | ONNX Runtime ms | Fovea / ORT | Fovea / PyTorch best | Fovea peak RSS MiB | weights MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for case in cases:
        g = lambda column: best.get((case, column), float("nan"))
        f, torch_best = g("fovea"), min(g("nchw"), g("channels_last"))
        print(f"| {case} | {f:.1f} | {g('nchw'):.1f} | {g('channels_last'):.1f} | {g('ort'):.1f} | {f / g('ort'):.2f}x "
              f"| {f / torch_best:.2f}x | {g('fovea_peak_rss_mib'):.0f} | {g('weights_mib'):.1f} |")


if __name__ == "__main__":
    main()
