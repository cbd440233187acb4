#!/usr/bin/env python3
"""Training throughput: Fovea vs PyTorch doing the same steps, measured in one run.

Usage:
    python3 tools/bench/train_peer.py [FOVEA_BINARY] [--model lenet5] [--batches 64,256] [--rounds 3]

Both sides run the same step — forward, cross-entropy, backward, SGD (momentum 0.9) — on random
data with 2 threads, alternating in child processes for --rounds rounds; each keeps its best round
(the machine is shared). Prints images/s and Fovea / PyTorch. Needs `pip install torch`.
Without FOVEA_BINARY it uses `swift run -c release fovea`.
"""
import argparse
import json
import subprocess
import sys

TORCH_CHILD = r'''
import json, sys, time
import torch, torch.nn as nn
torch.set_num_threads(int(sys.argv[1]))
model_name, batches, steps, repeats = sys.argv[2], [int(b) for b in sys.argv[3].split(",")], int(sys.argv[4]), int(sys.argv[5])

def lenet5():
    # Fovea's LeNet5 for 28x28 (Sources/FoveaModels/LeNet5.swift), layer for layer.
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)), (1, 28, 28)

def resnet20():
    # He et al. 2016 CIFAR ResNet-20 with option A shortcuts, as Fovea's resnet20
    # (Sources/FoveaModels/ResNetBlock.swift): when the shape changes the shortcut is x[:, :, ::2, ::2]
    # with zero channels added, half before and half after; no parameters.
    class Block(nn.Module):
        def __init__(s, i, o, stride):
            super().__init__()
            s.conv1 = nn.Conv2d(i, o, 3, stride, 1, bias=False); s.bn1 = nn.BatchNorm2d(o)
            s.conv2 = nn.Conv2d(o, o, 3, 1, 1, bias=False); s.bn2 = nn.BatchNorm2d(o)
            s.stride, s.before, s.after = stride, (o - i) // 2, o - i - (o - i) // 2
        def shortcut(s, x):
            if s.stride == 1 and s.before == 0 and s.after == 0:
                return x
            x = x[:, :, ::s.stride, ::s.stride]
            return nn.functional.pad(x, (0, 0, 0, 0, s.before, s.after))
        def forward(s, x):
            y = torch.relu(s.bn1(s.conv1(x))); y = s.bn2(s.conv2(y))
            return torch.relu(y + s.shortcut(x))
    layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    i = 16
    for o, stride in [(16, 1), (32, 2), (64, 2)]:
        for b in range(3):
            layers.append(Block(i, o, stride if b == 0 else 1)); i = o
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    model = nn.Sequential(*layers)
    assert sum(p.numel() for p in model.parameters()) == 269722, "must match Fovea's resnet20 (fovea summary --model resnet20)"
    return model, (3, 32, 32)

model, shape = {"lenet5": lenet5, "resnet20": resnet20}[model_name]()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
for b in batches:
    x = torch.randn(b, *shape); y = torch.arange(b) % 10
    def step():
        opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()
    for _ in range(5): step()
    rates = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(steps): step()
        rates.append(steps * b / (time.perf_counter() - t))
    print(json.dumps({"name": f"{model_name} train b{b}", "images_per_second": sorted(rates)[len(rates) // 2]}), flush=True)
'''


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return {r["name"]: r["images_per_second"] for r in map(json.loads, filter(None, out.splitlines()))}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("fovea", nargs="?")
    p.add_argument("--model", default="lenet5")
    p.add_argument("--batches", default="64,256")
    p.add_argument("--input", default=None, help="C x H x W for Fovea (default from the model)")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    shape = a.input or {"lenet5": "1x28x28", "resnet20": "3x32x32"}[a.model]
    fovea = [a.fovea] if a.fovea else ["swift", "run", "-c", "release", "fovea"]
    fovea += ["bench", "train", "--json", "--model", a.model, "--batch", a.batches, "--input", shape,
              "--steps", str(a.steps), "--repeats", str(a.repeats)]
    torch_cmd = [sys.executable, "-c", TORCH_CHILD, str(a.threads), a.model, a.batches, str(a.steps), str(a.repeats)]
    best = {"fovea": {}, "torch": {}}
    for r in range(a.rounds):
        for side, cmd in (("fovea", fovea), ("torch", torch_cmd)):
            env_cmd = ["env", f"FOVEA_THREADS={a.threads}"] + cmd
            for name, v in run(env_cmd).items():
                best[side][name] = max(best[side].get(name, 0), v)
    print(f"| case | Fovea img/s | PyTorch img/s | Fovea / PyTorch |\n|---|---:|---:|---:|")
    for name in best["torch"]:
        f, t = best["fovea"].get(name, 0), best["torch"][name]
        print(f"| {name} | {f:.0f} | {t:.0f} | {f / t:.2f}x |")


if __name__ == "__main__":
    main()
