#!/usr/bin/env python3
"""Attribution speed: Fovea vs pytorch-grad-cam / Captum on the same model, weights and batch,
measured in one run.

Usage:
    python3 tools/bench/interpret_peer.py RUN_FOLDER [FOVEA_BINARY] [--threads 2] [--repeats 5]

Two cases, as the interpretability issue asks:
  1. Grad-CAM on a batch of 32 Fashion-MNIST-sized images with the LeNet-5 of RUN_FOLDER (a
     `fovea train --model lenet5` run), target layer features.5 (the last spatial layer) —
     against pytorch-grad-cam's GradCAM; each side also times one forward and one
     forward+backward pass, so "Grad-CAM costs about one forward plus one backward" can be read off.
  2. Integrated Gradients with 50 steps (Gauss-Legendre, baseline 0) for one 224x224 image on
     ResNet-18 — against Captum's IntegratedGradients with internal_batch_size 50 (Fovea also runs
     the 50 interpolated images in one batch). ResNet-18 has torchvision's seeded random
     initialisation (no download), saved as safetensors in a temporary folder for Fovea to load.

Inputs are random normal; both sides use --threads threads; medians of --repeats after one warm-up.
Needs `pip install torch torchvision grad-cam captum safetensors`. Without FOVEA_BINARY it uses
`swift run -c release fovea`.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torchvision
from captum.attr import IntegratedGradients
from pytorch_grad_cam import GradCAM
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
from safetensors.torch import load_file, save_file


class LeNet5(nn.Module):
    """Fovea's LeNet5 for 28x28 (Sources/FoveaModels/LeNet5.swift) with its state_dict keys."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def median_time(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def forward_backward(model, x, targets):
    def run():
        x_ = x.clone().requires_grad_(True)
        out = model(x_)
        out.backward(torch.nn.functional.one_hot(torch.tensor(targets), out.shape[1]).float())
        model.zero_grad()
    return run


def fovea(binary, args):
    run = subprocess.run(binary + args, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{' '.join(binary + args)} failed:\n{run.stdout}{run.stderr}")
    out = run.stdout
    m = re.search(r"method ([\d.]+) ms, forward ([\d.]+) ms, forward\+backward ([\d.]+) ms", out)
    return tuple(float(v) / 1000 for v in m.groups())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("run")
    p.add_argument("binary", nargs="?")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    binary = [a.binary] if a.binary else ["swift", "run", "-c", "release", "fovea"]
    os.environ["FOVEA_THREADS"] = str(a.threads)
    rows = []

    # 1. Grad-CAM, LeNet-5, batch 32.
    model = LeNet5().eval()
    state = load_file(os.path.join(a.run, "checkpoints", "best.safetensors"))
    model.load_state_dict(state)
    torch.manual_seed(0)
    x = torch.randn(32, 1, 28, 28)
    targets = [0] * 32
    with GradCAM(model=model, target_layers=[model.features[5]]) as cam:
        t_cam = median_time(lambda: cam(input_tensor=x, targets=[ClassifierOutputTarget(t) for t in targets]), a.repeats)
    with torch.no_grad():
        t_fwd = median_time(lambda: model(x), a.repeats)
    t_fb = median_time(forward_backward(model, x, targets), a.repeats)
    f = fovea(binary, ["explain", a.run, "--benchmark", "--method", "gradcam", "--layer", "features.5", "--batch", "32",
                       "--repeats", str(a.repeats)])
    rows.append(("Grad-CAM, LeNet-5, 32 × 1×28×28", f, (t_cam, t_fwd, t_fb), "pytorch-grad-cam"))

    # 2. Integrated Gradients, 50 steps, ResNet-18, one 224x224 image.
    torch.manual_seed(0)
    resnet = torchvision.models.resnet18().eval()
    with tempfile.TemporaryDirectory() as tmp:
        weights = os.path.join(tmp, "resnet18.safetensors")
        save_file({k: v.contiguous() for k, v in resnet.state_dict().items()}, weights)
        x = torch.randn(1, 3, 224, 224)
        ig = IntegratedGradients(resnet)
        t_ig = median_time(lambda: ig.attribute(x, baselines=0.0, target=0, n_steps=50, internal_batch_size=50), a.repeats)
        with torch.no_grad():
            t_fwd = median_time(lambda: resnet(x), a.repeats)
        t_fb = median_time(forward_backward(resnet, x, [0]), a.repeats)
        f = fovea(binary, ["explain", "--model", "resnet18", "--weights", weights, "--benchmark", "--method", "ig", "--steps", "50",
                            "--batch-size", "50", "--batch", "1", "--repeats", str(a.repeats)])
    rows.append(("IG 50 steps, ResNet-18, 1 × 3×224×224", f, (t_ig, t_fwd, t_fb), "Captum"))

    print(f"threads: {a.threads}, torch {torch.__version__}; medians of {a.repeats} runs, milliseconds\n")
    print("| case | Fovea method | Fovea fwd | Fovea fwd+bwd | peer | peer method | peer fwd | peer fwd+bwd | Fovea / peer |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, f, t, peer in rows:
        print(f"| {name} | {1000*f[0]:.1f} | {1000*f[1]:.1f} | {1000*f[2]:.1f} | {peer} | {1000*t[0]:.1f} | {1000*t[1]:.1f} | {1000*t[2]:.1f} | {f[0]/t[0]:.2f}× |")


if __name__ == "__main__":
    sys.exit(main())
