#!/usr/bin/env python3
"""Reference attributions for FoveaInterpret (Tests/FoveaInterpretTests/ReferenceTests.swift).

Run from anywhere:

    pip install torch grad-cam captum
    python3 tools/references/make_interpret_fixtures.py

Writes into ``Tests/Fixtures/interpret/``:

- ``tiny_cnn.safetensors``: the weights of TinyCNN below (16x16 RGB in, 5 classes), filled
  deterministically: for the k-th state_dict entry with n elements and s_i = sin(1.7 i + k)
  (float64, row-major), weights are (2 / sqrt(fan_in)) * s_i and biases 0.1 * s_i, as in
  tools/references/make_model_fixtures.py.
- ``tiny_cnn.json``: the input (2, 3, 16, 16) with x_i = sin(0.37 i) + 0.5 sin(0.05 i), the targets
  [1, 3], the logits, and each reference map:
    gradcam, gradcampp, hirescam,  pytorch-grad-cam's GradCAM / GradCAMPlusPlus / HiResCAM /
    scorecam                       ScoreCAM on features.4 (scaled to [0, 1] and resized to 16x16 as it
                                   returns them)
    saliency                       captum Saliency (abs=True)
    ig, ig_delta                   captum IntegratedGradients, baseline 0, n_steps 16, gausslegendre,
                                   and its convergence delta
    ig_trapezoid                   the same with method riemann_trapezoid, n_steps 8
    occlusion                      captum Occlusion, window (3, 5, 5), strides (3, 3, 3), baseline 0
    guided                         captum GuidedBackprop
"""

import json
import math
import os

import captum
import numpy as np
import pytorch_grad_cam
import torch
import torch.nn as nn
from captum.attr import GuidedBackprop, IntegratedGradients, Occlusion, Saliency
from pytorch_grad_cam import GradCAM, GradCAMPlusPlus, HiResCAM, ScoreCAM
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "interpret")


class TinyCNN(nn.Module):
    """conv 3→4 (3x3, pad 1) · ReLU · max-pool 2 · conv 4→8 (3x3, pad 1) · ReLU · flatten · linear 512→5."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(4, 8, 3, padding=1), nn.ReLU())
        self.classifier = nn.Linear(8 * 8 * 8, 5)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def fill(model):
    with torch.no_grad():
        for k, (name, t) in enumerate(model.state_dict().items()):
            n = t.numel()
            s = np.sin(1.7 * np.arange(n, dtype=np.float64) + k)
            if name.endswith("bias"):
                v = 0.1 * s
            else:
                v = (2 / math.sqrt(n / t.shape[0])) * s
            t.copy_(torch.from_numpy(v.astype(np.float32)).reshape(t.shape))


def tensor(t):
    a = np.asarray(t, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(repr_f32(v)) for v in a.reshape(-1)]}


def repr_f32(v):
    return np.format_float_positional(np.float32(v), unique=True, trim="-") if np.isfinite(v) else "nan"


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = TinyCNN().eval()
    fill(model)
    i = np.arange(2 * 3 * 16 * 16, dtype=np.float64)
    x = torch.from_numpy((np.sin(0.37 * i) + 0.5 * np.sin(0.05 * i)).astype(np.float32)).reshape(2, 3, 16, 16)
    targets = [1, 3]
    layer = model.features[4]
    cams = {}
    for key, cls in [("gradcam", GradCAM), ("gradcampp", GradCAMPlusPlus), ("hirescam", HiResCAM), ("scorecam", ScoreCAM)]:
        with cls(model=model, target_layers=[layer]) as cam:
            cams[key] = cam(input_tensor=x, targets=[ClassifierOutputTarget(t) for t in targets])
    saliency = Saliency(model).attribute(x, target=targets)
    ig, delta = IntegratedGradients(model).attribute(x, baselines=0.0, target=targets, n_steps=16,
                                                     method="gausslegendre", return_convergence_delta=True)
    ig_trap = IntegratedGradients(model).attribute(x, baselines=0.0, target=targets, n_steps=8, method="riemann_trapezoid")
    occlusion = Occlusion(model).attribute(x, sliding_window_shapes=(3, 5, 5), strides=(3, 3, 3), baselines=0.0, target=targets)
    guided = GuidedBackprop(model).attribute(x, target=targets)
    with torch.no_grad():
        logits = model(x)
    os.makedirs(OUT, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(OUT, "tiny_cnn.safetensors"))
    doc = {"name": "tiny_cnn", "torch_version": torch.__version__, "grad_cam_version": "1.5.7",
           "captum_version": captum.__version__,
           "attrs": {"targets": targets, "layer": "features.4"},
           "tensors": {"input": tensor(x), "logits": tensor(logits), "gradcam": tensor(cams["gradcam"]),
                       "gradcampp": tensor(cams["gradcampp"]), "hirescam": tensor(cams["hirescam"]),
                       "scorecam": tensor(cams["scorecam"]),
                       "saliency": tensor(saliency.detach()), "ig": tensor(ig.detach()), "ig_delta": tensor(delta.detach()),
                       "ig_trapezoid": tensor(ig_trap.detach()), "occlusion": tensor(occlusion.detach()),
                       "guided": tensor(guided.detach())}}
    with open(os.path.join(OUT, "tiny_cnn.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    for k in ["gradcam", "gradcampp", "hirescam", "scorecam"]:
        print(k, "range", cams[k].min(), cams[k].max(), "nonzero", (cams[k] > 0).mean())
    print("logits", logits)
    print("ig delta", delta)


if __name__ == "__main__":
    main()
