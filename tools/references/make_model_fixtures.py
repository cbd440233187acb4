#!/usr/bin/env python3
"""Reference fixtures for Fovea's model zoo (Tests/FoveaModelsTests).

Run from anywhere:

    pip install torch torchvision
    python3 tools/references/make_model_fixtures.py

For every architecture Fovea registers, this builds the torchvision model (or, for the ones
torchvision lacks, the PyTorch twin defined below) and writes ``Tests/Fixtures/models/<name>.json``:

    { "name": str, "torch_version": str, "torchvision_version": str,
      "attrs": { "parameter_count": int,
                 "keys": [[state_dict key, shape], ...],          # in state_dict order
                 "options": {"classes": int, "width_multiplier": float},
                 # parity cases only:
                 "input_shape": [1, 3, H, W],
                 "mean_abs": {layer name: mean |activation|} },
      "tensors": { "logits": {"shape": [1, classes], "data": [...]} } }    # parity cases only

PARITY CASES set every state_dict entry by a deterministic fill that the Swift tests reproduce
(FoveaModelsTests/DeterministicFill.swift), so no weights are committed. For the k-th entry
(k = 0, 1, ... in state_dict order, counting every entry) with n elements and
s_i = sin(1.7 * i + k) evaluated in float64, i = 0 ... n-1 (row-major):

    *.num_batches_tracked               left at 0
    *.running_mean                      0.1 * s_i
    *.running_var                       1 + 0.5 * |s_i|
    rank >= 2, not layer_scale          (2 / sqrt(fan_in)) * s_i,  fan_in = n / shape[0]
      (conv and linear weights: He-like variance 2/fan_in, since mean(s_i^2) = 1/2)
    other *.weight, and *.layer_scale   1 + 0.2 * s_i
    *.bias                              0.1 * s_i

each rounded to float32 at the end. The input is x_i = sin(0.37 * i) (float64 → float32) over the
flattened (1, 3, H, W) tensor. The model runs in eval mode (BN running statistics, no dropout, no
stochastic depth) on the CPU in float32; ``logits`` is its output and ``mean_abs`` the mean absolute
value of a few intermediate outputs (to locate a divergence).

``models/resnet20_cifar10.safetensors`` holds the CIFAR ResNet-20 twin for 10 classes with torch's
own seeded random initialisation (and random BN statistics), written in the safetensors format by
hand (F32, with ``num_batches_tracked`` as I64, as ``safetensors.torch.save_file`` writes it);
``resnet20_cifar10.json`` holds its ``logits`` on the 1x3x32x32 input above (no fill).
"""

import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models import vgg as tv_vgg
from torchvision.models.convnext import CNBlockConfig, ConvNeXt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "models")


# ---------------------------------------------------------------------------
# PyTorch twins of the architectures torchvision does not have
# ---------------------------------------------------------------------------

class Block(nn.Module):
    """He et al.'s basic block; shortcut 'B' (projection), 'A' (subsample + zero channels) or None (plain)."""

    def __init__(self, inp, planes, stride, shortcut):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = shortcut
        self.reshapes = stride != 1 or inp != planes
        self.stride, self.extra = stride, planes - inp
        if shortcut == "B" and self.reshapes:
            self.downsample = nn.Sequential(nn.Conv2d(inp, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        if self.shortcut == "B":
            y = y + (self.downsample(x) if self.reshapes else x)
        elif self.shortcut == "A":
            s = x
            if self.reshapes:
                before = self.extra // 2
                s = F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, before, self.extra - before))
            y = y + s
        return self.relu(y)


class CifarResNet(nn.Module):
    """He et al. 2016, Section 4.2: 3x3 stem, 3 stages of n blocks (16, 32, 64), option A shortcuts."""

    def __init__(self, depth, shortcut="A", classes=1000):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        inp, stages = 16, []
        for s, w in enumerate([16, 32, 64]):
            blocks = []
            for b in range(n):
                blocks.append(Block(inp, w, 2 if s > 0 and b == 0 else 1, shortcut))
                inp = w
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = stages
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def plain_imagenet(depth):
    """torchvision's ResNet-18/34 layout with every shortcut removed (no `downsample`)."""
    m = torchvision.models.resnet18() if depth == 18 else torchvision.models.resnet34()
    for stage in [m.layer1, m.layer2, m.layer3, m.layer4]:
        for i, blk in enumerate(stage):
            plain = Block(blk.conv1.in_channels, blk.conv1.out_channels, blk.conv1.stride[0], None)
            stage[i] = plain
    return m


class MobileNetV1(nn.Module):
    """Howard et al. 2017, Table 1 (last depthwise stride 1), keys as torchvision's MobileNetV2."""

    LAYERS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]

    def __init__(self, classes=1000, width=1.0):
        super().__init__()
        from torchvision.ops.misc import Conv2dNormActivation as CNA
        from torchvision.models._utils import _make_divisible
        c = _make_divisible(32 * width, 8)
        layers = [CNA(3, c, stride=2, activation_layer=nn.ReLU)]
        for out, s in self.LAYERS:
            out = _make_divisible(out * width, 8)
            layers.append(nn.Sequential(CNA(c, c, stride=s, groups=c, activation_layer=nn.ReLU),
                                        CNA(c, out, kernel_size=1, activation_layer=nn.ReLU)))
            c = out
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(c, classes)

    def forward(self, x):
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1))


class VGGCifar(nn.Module):
    """Fovea's vgg_cifar: configuration A's first four stages with BN, global average pool, linear."""

    def __init__(self, classes=1000):
        super().__init__()
        self.features = tv_vgg.make_layers([64, "M", 128, "M", 256, 256, "M", 512, 512, "M"], batch_norm=True)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(512, classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def convnext_cifar(classes=1000):
    """Fovea's convnext_cifar: torchvision's ConvNeXt with a 2x2/2 stem and stages (64,3) (128,3) (256,3)."""
    m = ConvNeXt([CNBlockConfig(64, 128, 3), CNBlockConfig(128, 256, 3), CNBlockConfig(256, None, 3)],
                 stochastic_depth_prob=0.1, num_classes=classes)
    m.features[0][0] = nn.Conv2d(3, 64, kernel_size=2, stride=2)
    return m


# ---------------------------------------------------------------------------
# Deterministic fill and input (see the module docstring)
# ---------------------------------------------------------------------------

def fill_(model):
    with torch.no_grad():
        for k, (name, t) in enumerate(model.state_dict().items()):
            n = t.numel()
            if name.endswith("num_batches_tracked"):
                continue
            s = np.sin(1.7 * np.arange(n, dtype=np.float64) + k)
            if name.endswith("running_mean"):
                v = 0.1 * s
            elif name.endswith("running_var"):
                v = 1 + 0.5 * np.abs(s)
            elif t.dim() >= 2 and not name.endswith("layer_scale"):
                v = (2 / math.sqrt(n // t.shape[0])) * s
            elif name.endswith("weight") or name.endswith("layer_scale"):
                v = 1 + 0.2 * s
            elif name.endswith("bias"):
                v = 0.1 * s
            else:
                raise ValueError(f"no fill rule for {name}")
            t.copy_(torch.from_numpy(v.astype(np.float32)).reshape(t.shape))


def make_input(shape):
    n = int(np.prod(shape))
    return torch.from_numpy(np.sin(0.37 * np.arange(n, dtype=np.float64)).astype(np.float32)).reshape(shape)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

tvm = torchvision.models
# name → (constructor, parity input side or None, layers whose mean |output| is recorded)
FEATURES = lambda k: [f"features.{i}" for i in range(k)]
CASES = {
    **{f"vgg{d}{bn}": (getattr(tvm, f"vgg{d}{bn}"), None, []) for d in (11, 13, 16, 19) for bn in ("", "_bn")},
    "vgg11_bn": (tvm.vgg11_bn, 32, ["features.3", "features.7", "features.14", "features.21", "features.28", "avgpool"]),
    "vgg_cifar": (VGGCifar, 32, ["features.3", "features.7", "features.14", "features.21"]),
    **{f"resnet{d}": (getattr(tvm, f"resnet{d}"), None, []) for d in (34, 101, 152)},
    "resnet18": (tvm.resnet18, 64, ["layer1", "layer2", "layer3", "layer4"]),
    "resnet50": (tvm.resnet50, 64, ["layer1", "layer2", "layer3", "layer4"]),
    "plain18": (lambda: plain_imagenet(18), 64, ["layer1", "layer2", "layer3", "layer4"]),
    "plain34": (lambda: plain_imagenet(34), None, []),
    **{f"resnet{d}": (lambda d=d: CifarResNet(d, "A"), None, []) for d in (32, 44, 56, 110)},
    **{f"plain{d}": (lambda d=d: CifarResNet(d, None), None, []) for d in (32, 44, 56, 110)},
    "resnet20": (lambda: CifarResNet(20, "A"), 32, ["layer1", "layer2", "layer3"]),
    "plain20": (lambda: CifarResNet(20, None), 32, ["layer1", "layer2", "layer3"]),
    "mobilenet_v1": (MobileNetV1, 64, FEATURES(14)),
    "mobilenet_v1_w0.5": (lambda: MobileNetV1(width=0.5), None, []),
    "mobilenet_v2": (tvm.mobilenet_v2, 64, FEATURES(19)),
    "mobilenet_v2_w0.5": (lambda: tvm.mobilenet_v2(width_mult=0.5), None, []),
    "mobilenet_v2_w1.4": (lambda: tvm.mobilenet_v2(width_mult=1.4), None, []),
    "mobilenet_v3_small": (tvm.mobilenet_v3_small, 64, FEATURES(13)),
    "mobilenet_v3_large": (tvm.mobilenet_v3_large, 64, FEATURES(17)),
    "mobilenet_v3_large_w0.75": (lambda: tvm.mobilenet_v3_large(width_mult=0.75), None, []),
    "convnext_tiny": (tvm.convnext_tiny, 64, FEATURES(8)),
    **{f"convnext_{v}": (getattr(tvm, f"convnext_{v}"), None, []) for v in ("small", "base", "large")},
    "convnext_cifar": (convnext_cifar, 32, FEATURES(6)),
}


def tensor_json(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(np.float32(v)) for v in t.reshape(-1).tolist()]}


def write_safetensors(state, path):
    """The safetensors format: u64 header length, JSON header, raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        if name.endswith("num_batches_tracked"):
            data, dtype = t.to(torch.int64).numpy().astype("<i8").tobytes(), "I64"
        else:
            data, dtype = t.to(torch.float32).contiguous().numpy().astype("<f4").tobytes(), "F32"
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - (8 + len(raw)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def run_case(name, make, side, probes):
    torch.manual_seed(0)
    model = make().eval()
    state = model.state_dict()
    width = float(name.split("_w")[1]) if "_w" in name else 1.0
    attrs = {
        "parameter_count": sum(p.numel() for p in model.parameters()),
        "keys": [[k, list(v.shape)] for k, v in state.items()],
        "options": {"classes": 1000, "width_multiplier": width},
    }
    tensors = {}
    if side is not None:
        x = make_input((1, 3, side, side))
        fill_(model)
        means, handles = {}, []
        modules = dict(model.named_modules())
        for p in probes:
            handles.append(modules[p].register_forward_hook(
                lambda m, i, o, p=p: means.__setitem__(p, float(o.detach().abs().mean()))))
        with torch.no_grad():
            tensors["logits"] = tensor_json(model(x))
        for h in handles:
            h.remove()
        attrs["input_shape"] = [1, 3, side, side]
        attrs["mean_abs"] = means
    doc = {"name": name, "torch_version": torch.__version__, "torchvision_version": torchvision.__version__,
           "attrs": attrs, "tensors": tensors}
    with open(os.path.join(OUT_DIR, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"{name}: {attrs['parameter_count']:,} parameters, {len(state)} keys" + (f", logits at {side}x{side}" if side else ""))


def safetensors_case():
    torch.manual_seed(0)
    model = CifarResNet(20, "A", classes=10).eval()
    with torch.no_grad():
        for k, v in model.state_dict().items():
            if k.endswith("running_mean"):
                v.copy_(0.2 * torch.randn_like(v))
            elif k.endswith("running_var"):
                v.copy_(0.5 + torch.rand_like(v))
            elif k.endswith("num_batches_tracked"):
                v.fill_(7)
        logits = model(make_input((1, 3, 32, 32)))
    write_safetensors(model.state_dict(), os.path.join(OUT_DIR, "resnet20_cifar10.safetensors"))
    doc = {"name": "resnet20_cifar10", "torch_version": torch.__version__, "torchvision_version": torchvision.__version__,
           "attrs": {"input_shape": [1, 3, 32, 32], "options": {"classes": 10, "width_multiplier": 1.0}},
           "tensors": {"logits": tensor_json(logits)}}
    with open(os.path.join(OUT_DIR, "resnet20_cifar10.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print("resnet20_cifar10: safetensors checkpoint and its logits")


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT_DIR, exist_ok=True)
    only = set(sys.argv[1:])
    for name, (make, side, probes) in CASES.items():
        if not only or name in only:
            run_case(name, make, side, probes)
    if not only or "resnet20_cifar10" in only:
        safetensors_case()


if __name__ == "__main__":
    main()
