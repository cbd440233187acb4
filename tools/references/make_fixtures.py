#!/usr/bin/env python3
"""Generate small PyTorch reference fixtures (JSON) for Fovea's Swift tests.

Run from anywhere:

    pip install torch torchvision
    python3 tools/references/make_fixtures.py

Writes one JSON file per case into ``Tests/Fixtures/`` (found relative to this
script) plus ``Tests/Fixtures/README.md``. Every case seeds torch's RNG itself,
runs on the CPU in float32 with one thread, and stores all of its inputs and
parameters in the file, so the Swift side never has to reproduce torch's RNG.

Schema of each file::

    { "name": str, "op": str, "torch_version": str,
      "attrs": { str: number | bool | str | [number] },
      "tensors": { str: {"shape": [int], "data": [number]} } }

Tensors are NCHW (where that applies), flattened row-major. A 0-d tensor has
``"shape": []`` and one value in ``"data"``. ``grad_output`` is a random tensor
R and every ``grad_*`` is a gradient of ``sum(output * R)`` unless the case
says otherwise (losses: gradient of the scalar loss itself).
"""

import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures")
MAX_FILE_BYTES = 200 * 1024
MAX_TOTAL_BYTES = 1024 * 1024


# ---------------------------------------------------------------------------
# Serialisation
# ---------------------------------------------------------------------------

def _to_f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def f32_str(x):
    """Shortest decimal string that parses back to the same float32."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError("non-finite value in fixture: %r" % x)
    for p in range(1, 10):
        s = "%.*g" % (p, x)
        if _to_f32(float(s)) == x:
            return s
    raise AssertionError("float32 did not round-trip: %r" % x)


class T:
    """A tensor to be written: float32 values (or float64 for schedule values)."""

    def __init__(self, shape, values, double=False):
        self.shape = [int(s) for s in shape]
        self.values = [float(v) for v in values]
        self.double = double
        n = 1
        for s in self.shape:
            n *= s
        assert n == len(self.values), (self.shape, len(self.values))

    def data_strings(self):
        if self.double:
            return [repr(v) for v in self.values]
        return [f32_str(v) for v in self.values]


def tensor(t):
    t = t.detach().to(torch.float32).contiguous().cpu()
    return T(list(t.shape), t.reshape(-1).tolist())


def double_list(values):
    return T([len(values)], list(values), double=True)


def render(fixture):
    lines = ["{"]
    lines.append('  "name": %s,' % json.dumps(fixture["name"]))
    lines.append('  "op": %s,' % json.dumps(fixture["op"]))
    lines.append('  "torch_version": %s,' % json.dumps(fixture["torch_version"]))
    lines.append('  "attrs": %s,' % json.dumps(fixture["attrs"], sort_keys=False))
    lines.append('  "tensors": {')
    items = list(fixture["tensors"].items())
    for i, (key, t) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        lines.append('    %s: {"shape": %s, "data": [%s]}%s'
                     % (json.dumps(key), json.dumps(t.shape), ",".join(t.data_strings()), comma))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def check_round_trip(text, fixture):
    parsed = json.loads(text)
    assert parsed["name"] == fixture["name"]
    for key, t in fixture["tensors"].items():
        got = parsed["tensors"][key]
        assert got["shape"] == t.shape, key
        assert len(got["data"]) == len(t.values), key
        for a, b in zip(got["data"], t.values):
            if t.double:
                assert float(a) == b, (key, a, b)
            else:
                assert _to_f32(float(a)) == b, (key, a, b)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

FIXTURES = []


def case(name, op, attrs, tensors):
    FIXTURES.append({"name": name, "op": op, "torch_version": torch.__version__,
                     "attrs": attrs, "tensors": tensors})


def uniform(shape, lo, hi):
    return torch.rand(*shape, dtype=torch.float32) * (hi - lo) + lo


def randn(*shape):
    return torch.randn(*shape, dtype=torch.float32)


def leaf(t):
    return t.detach().clone().requires_grad_(True)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

def conv2d_cases():
    specs = [
        # name, seed, N,Cin,H,W, Cout, k, stride, pad, dil, groups, bias
        ("conv2d_stride1_pad1_dil1_groups1", 101, (2, 3, 8, 8), 5, 3, 1, 1, 1, 1, True),
        ("conv2d_stride2_pad1_dil1_groups2", 102, (2, 4, 9, 7), 6, 3, 2, 1, 1, 2, True),
        ("conv2d_stride1_pad2_dil2_groups1_nobias", 103, (1, 3, 10, 10), 4, 3, 1, 2, 2, 1, False),
        ("conv2d_stride2_pad1_dil1_groups6_depthwise", 104, (2, 6, 9, 9), 6, 3, 2, 1, 1, 6, True),
    ]
    for name, seed, ishape, cout, k, s, p, d, g, has_bias in specs:
        torch.manual_seed(seed)
        cin = ishape[1]
        x = leaf(randn(*ishape))
        w = leaf(randn(cout, cin // g, k, k) * (1.0 / math.sqrt(cin // g * k * k)))
        b = leaf(randn(cout) * 0.1) if has_bias else None
        y = F.conv2d(x, w, b, stride=s, padding=p, dilation=d, groups=g)
        r = randn(*y.shape)
        (y * r).sum().backward()
        tensors = {"input": tensor(x), "weight": tensor(w)}
        if has_bias:
            tensors["bias"] = tensor(b)
        tensors.update({"output": tensor(y), "grad_output": tensor(r),
                        "grad_input": tensor(x.grad), "grad_weight": tensor(w.grad)})
        if has_bias:
            tensors["grad_bias"] = tensor(b.grad)
        case(name, "conv2d",
             {"stride": [s, s], "padding": [p, p], "dilation": [d, d], "groups": g}, tensors)


def batch_norm_cases():
    eps, momentum = 1e-5, 0.1

    # Train mode: batch statistics, running stats updated (unbiased variance).
    torch.manual_seed(201)
    c = 3
    bn = nn.BatchNorm2d(c, eps=eps, momentum=momentum)
    with torch.no_grad():
        bn.weight.copy_(uniform((c,), 0.5, 1.5))
        bn.bias.copy_(randn(c) * 0.5)
        bn.running_mean.copy_(randn(c) * 0.5)
        bn.running_var.copy_(uniform((c,), 0.5, 2.0))
    x = leaf(randn(4, c, 5, 5) * 2.0 + 0.5)
    rm0, rv0 = bn.running_mean.clone(), bn.running_var.clone()
    w0, b0 = bn.weight.detach().clone(), bn.bias.detach().clone()
    bn.train()
    y = bn(x)
    r = randn(*y.shape)
    (y * r).sum().backward()
    case("batch_norm_train", "batch_norm_train", {"eps": eps, "momentum": momentum}, {
        "input": tensor(x), "weight": tensor(w0), "bias": tensor(b0),
        "running_mean_before": tensor(rm0), "running_var_before": tensor(rv0),
        "output": tensor(y),
        "running_mean_after": tensor(bn.running_mean), "running_var_after": tensor(bn.running_var),
        "num_batches_tracked_after": tensor(bn.num_batches_tracked.to(torch.float32)),
        "grad_output": tensor(r), "grad_input": tensor(x.grad),
        "grad_weight": tensor(bn.weight.grad), "grad_bias": tensor(bn.bias.grad),
    })

    # Eval mode: normalise with the given running stats.
    torch.manual_seed(202)
    bn = nn.BatchNorm2d(c, eps=eps, momentum=momentum)
    with torch.no_grad():
        bn.weight.copy_(uniform((c,), 0.5, 1.5))
        bn.bias.copy_(randn(c) * 0.5)
        bn.running_mean.copy_(randn(c) * 0.5)
        bn.running_var.copy_(uniform((c,), 0.5, 2.0))
    bn.eval()
    x = leaf(randn(4, c, 5, 5) * 2.0 + 0.5)
    y = bn(x)
    r = randn(*y.shape)
    (y * r).sum().backward()
    case("batch_norm_eval", "batch_norm_eval", {"eps": eps, "momentum": momentum}, {
        "input": tensor(x), "weight": tensor(bn.weight), "bias": tensor(bn.bias),
        "running_mean": tensor(bn.running_mean), "running_var": tensor(bn.running_var),
        "output": tensor(y), "grad_output": tensor(r), "grad_input": tensor(x.grad),
        "grad_weight": tensor(bn.weight.grad), "grad_bias": tensor(bn.bias.grad),
    })


def unary_case(name, op, seed, ishape, fn, attrs, lo=-4.0, hi=4.0):
    torch.manual_seed(seed)
    x = leaf(uniform(ishape, lo, hi))
    y = fn(x)
    r = randn(*y.shape)
    (y * r).sum().backward()
    tensors = {"input": tensor(x)}
    tensors.update({"output": tensor(y), "grad_output": tensor(r), "grad_input": tensor(x.grad)})
    case(name, op, attrs, tensors)


def pool_cases():
    # max_pool2d: random inputs have no ties.
    for name, seed, ishape, k, s, p in [
        ("max_pool2d_k3_s2_p1", 301, (2, 3, 9, 9), 3, 2, 1),
        ("max_pool2d_k2_s2_p0", 302, (1, 2, 8, 8), 2, 2, 0),
    ]:
        unary_case(name, "max_pool2d", seed, ishape,
                   lambda x, k=k, s=s, p=p: F.max_pool2d(x, k, s, p),
                   {"kernel_size": [k, k], "stride": [s, s], "padding": [p, p]})

    for name, seed, ishape, cip in [
        ("avg_pool2d_k3_s2_p1_include_pad", 311, (2, 3, 9, 9), True),
        ("avg_pool2d_k3_s2_p1_exclude_pad", 312, (2, 3, 8, 7), False),
    ]:
        unary_case(name, "avg_pool2d", seed, ishape,
                   lambda x, cip=cip: F.avg_pool2d(x, 3, 2, 1, count_include_pad=cip),
                   {"kernel_size": [3, 3], "stride": [2, 2], "padding": [1, 1],
                    "count_include_pad": cip})

    unary_case("adaptive_avg_pool2d_7x5_to_3x2", "adaptive_avg_pool2d", 321, (2, 3, 7, 5),
               lambda x: F.adaptive_avg_pool2d(x, (3, 2)), {"output_size": [3, 2]})


def activation_cases():
    acts = [
        ("gelu", lambda x: F.gelu(x, approximate="none"), {"approximate": "none"}, -4.0, 4.0),
        ("silu", F.silu, {}, -4.0, 4.0),
        ("hardswish", F.hardswish, {}, -4.0, 4.0),
        ("hardsigmoid", F.hardsigmoid, {}, -4.0, 4.0),
        # relu6 over [-8, 8] so that the upper clamp at 6 is exercised too.
        ("relu6", F.relu6, {}, -8.0, 8.0),
        ("sigmoid", torch.sigmoid, {}, -4.0, 4.0),
        ("tanh", torch.tanh, {}, -4.0, 4.0),
    ]
    for i, (name, fn, attrs, lo, hi) in enumerate(acts):
        unary_case(name, name, 401 + i, (2, 3, 4, 4), fn, attrs, lo=lo, hi=hi)


def layer_norm2d_case():
    torch.manual_seed(501)
    c, eps = 6, 1e-6
    x = leaf(randn(2, c, 4, 5) * 1.5 + 0.3)
    w = leaf(uniform((c,), 0.5, 1.5))
    b = leaf(randn(c) * 0.5)
    y = F.layer_norm(x.permute(0, 2, 3, 1), (c,), w, b, eps).permute(0, 3, 1, 2)
    r = randn(*y.shape)
    (y * r).sum().backward()
    case("layer_norm2d", "layer_norm2d", {"eps": eps}, {
        "input": tensor(x), "weight": tensor(w), "bias": tensor(b), "output": tensor(y),
        "grad_output": tensor(r), "grad_input": tensor(x.grad),
        "grad_weight": tensor(w.grad), "grad_bias": tensor(b.grad),
    })


def loss_cases():
    for name, seed, ls in [("cross_entropy_ls0", 601, 0.0), ("cross_entropy_ls0p1", 602, 0.1)]:
        torch.manual_seed(seed)
        logits = leaf(randn(5, 7) * 2.0)
        target = torch.randint(0, 7, (5,))
        loss = F.cross_entropy(logits, target, label_smoothing=ls, reduction="mean")
        loss.backward()
        case(name, "cross_entropy", {"label_smoothing": ls, "reduction": "mean"}, {
            "input": tensor(logits), "target": tensor(target.to(torch.float32)),
            "loss": tensor(loss), "grad_input": tensor(logits.grad),
        })

    torch.manual_seed(611)
    x = leaf(randn(4, 3))
    t = randn(4, 3)
    loss = F.mse_loss(x, t, reduction="mean")
    loss.backward()
    case("mse_loss", "mse_loss", {"reduction": "mean"}, {
        "input": tensor(x), "target": tensor(t), "loss": tensor(loss), "grad_input": tensor(x.grad),
    })


def optimizer_case(name, op, seed, make_opt, attrs, state_keys):
    torch.manual_seed(seed)
    p = nn.Parameter(randn(4, 3))
    grads = [randn(4, 3) for _ in range(3)]
    opt = make_opt([p])
    tensors = {"param_before": tensor(p)}
    for i, g in enumerate(grads):
        tensors["grad_%d" % i] = tensor(g)
    for i, g in enumerate(grads):
        opt.zero_grad()
        p.grad = g.clone()
        opt.step()
        tensors["param_after_%d" % i] = tensor(p)
        for sk in state_keys:
            tensors["%s_after_%d" % (sk, i)] = tensor(opt.state[p][sk])
    case(name, op, attrs, tensors)


def optimizer_cases():
    optimizer_case(
        "sgd_step_nesterov", "sgd_step", 701,
        lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=1e-2),
        {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-2, "dampening": 0.0},
        ["momentum_buffer"])
    optimizer_case(
        "sgd_step_momentum", "sgd_step", 702,
        lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0),
        {"lr": 0.1, "momentum": 0.9, "nesterov": False, "weight_decay": 0.0, "dampening": 0.0},
        ["momentum_buffer"])
    optimizer_case(
        "adamw_step", "adamw_step", 711,
        lambda ps: torch.optim.AdamW(ps, lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.05),
        {"lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.05, "amsgrad": False},
        ["exp_avg", "exp_avg_sq"])
    optimizer_case(
        "adam_step", "adam_step", 712,
        lambda ps: torch.optim.Adam(ps, lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2),
        {"lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False},
        ["exp_avg", "exp_avg_sq"])


WARMUP_COSINE_FORMULA = (
    "lr(i) = base_lr * i / warmup_steps for 0 <= i < warmup_steps; "
    "lr(i) = base_lr * 0.5 * (1 + cos(pi * (i - warmup_steps) / (total_steps - warmup_steps))) "
    "for warmup_steps <= i < total_steps (i = number of scheduler.step() calls so far)")


def lr_schedule_case():
    steps = 30

    def record(opt, sched, key="lr"):
        values = []
        for _ in range(steps):
            values.append(opt.param_groups[0][key])
            opt.step()
            sched.step()
        return values

    def record_both(opt, sched):
        lrs, moms = [], []
        for _ in range(steps):
            lrs.append(opt.param_groups[0]["lr"])
            moms.append(opt.param_groups[0]["momentum"])
            opt.step()
            sched.step()
        return lrs, moms

    def dummy():
        return [nn.Parameter(torch.zeros(1))]

    opt = torch.optim.SGD(dummy(), lr=0.1)
    lr_step = record(opt, torch.optim.lr_scheduler.StepLR(opt, step_size=7, gamma=0.5))

    opt = torch.optim.SGD(dummy(), lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=0.1, total_steps=steps, pct_start=0.3, anneal_strategy="cos",
        cycle_momentum=True, base_momentum=0.85, max_momentum=0.95,
        div_factor=25.0, final_div_factor=1e4, three_phase=False)
    lr_onecycle, mom_onecycle = record_both(opt, sched)

    warmup, base = 5, 0.1

    def lam(i):
        if i < warmup:
            return i / warmup
        return 0.5 * (1.0 + math.cos(math.pi * (i - warmup) / (steps - warmup)))

    opt = torch.optim.SGD(dummy(), lr=base)
    lr_wc = record(opt, torch.optim.lr_scheduler.LambdaLR(opt, lam))

    case("lr_schedule", "lr_schedule", {
        "steps": steps,
        "step_base_lr": 0.1, "step_size": 7, "step_gamma": 0.5,
        "onecycle_max_lr": 0.1, "onecycle_total_steps": steps, "onecycle_pct_start": 0.3,
        "onecycle_anneal_strategy": "cos", "onecycle_div_factor": 25.0,
        "onecycle_final_div_factor": 1e4, "onecycle_three_phase": False,
        "onecycle_cycle_momentum": True, "onecycle_base_momentum": 0.85,
        "onecycle_max_momentum": 0.95, "onecycle_sgd_momentum": 0.9,
        "warmup_base_lr": base, "warmup_steps": warmup, "total_steps": steps,
        "formula": WARMUP_COSINE_FORMULA,
    }, {
        "lr_step": double_list(lr_step),
        "lr_onecycle": double_list(lr_onecycle),
        "momentum_onecycle": double_list(mom_onecycle),
        "lr_warmup_cosine": double_list(lr_wc),
    })


SMALL_CNN_LAYERS = ("0: Conv2d(1,4,3,padding=1) -> 1: BatchNorm2d(4) [train mode] -> 2: ReLU -> "
                    "3: MaxPool2d(2) -> 4: Conv2d(4,8,3,padding=1) -> 5: ReLU -> "
                    "6: AdaptiveAvgPool2d(1) -> 7: Flatten -> 8: Linear(8,3)")


def small_cnn_case():
    torch.manual_seed(801)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(8, 3))
    with torch.no_grad():  # non-trivial BN affine params so their gradients matter
        model[1].weight.copy_(uniform((4,), 0.5, 1.5))
        model[1].bias.copy_(randn(4) * 0.2)
    model.train()
    x = randn(2, 1, 8, 8)
    target = torch.randint(0, 3, (2,))
    tensors = {}
    for key, v in model.state_dict().items():
        tensors["param:" + key] = tensor(v.to(torch.float32))
    tensors["input"] = tensor(x)
    tensors["target"] = tensor(target.to(torch.float32))
    logits = model(x)
    loss = F.cross_entropy(logits, target)
    loss.backward()
    tensors["logits"] = tensor(logits)
    tensors["loss"] = tensor(loss)
    for key, p in model.named_parameters():
        tensors["grad:" + key] = tensor(p.grad)
    for key, v in model.state_dict().items():
        if key.startswith("1.running") or key.endswith("num_batches_tracked"):
            tensors["state_after:" + key] = tensor(v.to(torch.float32))
    case("small_cnn", "small_cnn", {"layers": SMALL_CNN_LAYERS, "loss": "cross_entropy(mean)"}, tensors)


# ---------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------

README = """# PyTorch reference fixtures

Generated by `tools/references/make_fixtures.py` with **torch {torch_version}**
(CPU, float32, one thread). Do not edit by hand. CI does not need torch: only
these outputs are committed.

## Regenerating

```sh
pip install torch torchvision
python3 tools/references/make_fixtures.py
```

The script finds `Tests/Fixtures/` from its own location, so it can be run from
any directory. Each case seeds torch's RNG itself (`torch.manual_seed`), so the
output is deterministic for a given torch version.

## Format

One JSON file per case:

```json
{{ "name": "...", "op": "...", "torch_version": "{torch_version}",
  "attrs": {{ ... }},
  "tensors": {{ "input": {{"shape": [2,3,8,8], "data": [...]}}, ... }} }}
```

- Tensors are NCHW where that applies, flattened row-major; a 0-d tensor has
  `"shape": []` and one value in `"data"`.
- Values are float32, written as the shortest decimal that parses back to the
  same float32 (the `lr_schedule` values are float64 `repr`s).
- Inputs and parameters are generated in torch and stored, so the Swift side
  never reproduces torch's RNG.
- `grad_output` is a random tensor R; `grad_input`, `grad_weight`, `grad_bias`
  are gradients of `sum(output * R)`. For losses, `grad_input` is the gradient
  of the scalar `loss` itself.
- Integer targets are stored as float tensors named `target`.

## Files

| Files | op | Tensors |
|---|---|---|
| `conv2d_*.json` (4) | `conv2d` | input, weight, bias, output, grad_output, grad_input, grad_weight, grad_bias (`*_nobias`: no bias / grad_bias). attrs: stride, padding, dilation, groups |
| `batch_norm_train.json` | `batch_norm_train` | input, weight, bias, running_mean_before, running_var_before, output, running_mean_after, running_var_after, num_batches_tracked_after (shape []), grad_output, grad_input, grad_weight, grad_bias. attrs: eps, momentum |
| `batch_norm_eval.json` | `batch_norm_eval` | input, weight, bias, running_mean, running_var, output, grad_output, grad_input, grad_weight, grad_bias. attrs: eps, momentum |
| `max_pool2d_*.json` (2) | `max_pool2d` | input, output, grad_output, grad_input. attrs: kernel_size, stride, padding |
| `avg_pool2d_*.json` (2) | `avg_pool2d` | same; attrs also count_include_pad |
| `adaptive_avg_pool2d_7x5_to_3x2.json` | `adaptive_avg_pool2d` | same; attrs: output_size |
| `gelu`, `silu`, `hardswish`, `hardsigmoid`, `relu6`, `sigmoid`, `tanh` `.json` | the file name | input, output, grad_output, grad_input (input uniform in [-4, 4]; relu6 in [-8, 8] to hit the clamp at 6). gelu attrs: approximate = "none" (erf form) |
| `layer_norm2d.json` | `layer_norm2d` | input, weight, bias, output, grad_output, grad_input, grad_weight, grad_bias. ConvNeXt LayerNorm: NCHW→NHWC, layer_norm over C, back. attrs: eps |
| `cross_entropy_ls0.json`, `cross_entropy_ls0p1.json` | `cross_entropy` | input (logits [5,7]), target [5], loss [], grad_input. attrs: label_smoothing, reduction |
| `mse_loss.json` | `mse_loss` | input, target, loss [], grad_input. attrs: reduction |
| `sgd_step_nesterov.json`, `sgd_step_momentum.json` | `sgd_step` | param_before, grad_0..2, param_after_0..2, momentum_buffer_after_0..2. attrs: lr, momentum, nesterov, weight_decay, dampening |
| `adamw_step.json`, `adam_step.json` | `adamw_step` / `adam_step` | param_before, grad_0..2, param_after_0..2, exp_avg_after_0..2, exp_avg_sq_after_0..2. attrs: lr, betas, eps, weight_decay, amsgrad |
| `lr_schedule.json` | `lr_schedule` | lr_step, lr_onecycle, momentum_onecycle, lr_warmup_cosine, each [30]: the value in effect AT step i, i.e. before the i-th `scheduler.step()` |
| `small_cnn.json` | `small_cnn` | `param:KEY` for every state_dict key before the step (incl. `param:1.running_mean`, `param:1.running_var`, `param:1.num_batches_tracked`), input, target, logits, loss, `grad:KEY` for every parameter, `state_after:1.running_mean` / `running_var` / `num_batches_tracked` after the forward |

## Notes

- BatchNorm train mode normalises with the biased batch variance but updates
  `running_var` with the unbiased one (n / (n - 1)); `running = (1 - momentum) * running + momentum * batch`.
- SGD: on the first step the momentum buffer is the (weight-decayed) gradient
  itself, not `(1 - dampening) * grad`. Nesterov uses `grad + momentum * buf`.
- Adam adds `weight_decay * param` to the gradient (L2); AdamW multiplies the
  param by `1 - lr * weight_decay` before the Adam update.
- OneCycleLR (total_steps 30, pct_start 0.3, cos, div_factor 25,
  final_div_factor 1e4, three_phase False): the lr at step 0 is
  `max_lr / div_factor = 0.004`, reaches `max_lr` at step
  `pct_start * total_steps - 1 = 8`, and anneals to
  `initial_lr / final_div_factor = 4e-7` at step 29. Momentum goes the other
  way: 0.95 at step 0, 0.85 at step 8, 0.95 at step 29.
- Warm-up + cosine (LambdaLR, base lr 0.1): {formula}.
  So step 0 has lr 0, step 5 has the full 0.1, and step 29 is still slightly
  above 0 (the cosine would reach 0 at i = 30, which is not recorded).
- `small_cnn` does one forward + backward in train mode and no optimizer
  step; `param:*` is the state before the forward, `state_after:*` the BN
  buffers after it.
- Adaptive average pooling bins are `[floor(i*H/out), ceil((i+1)*H/out))`, so
  they can overlap.
"""


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    conv2d_cases()
    batch_norm_cases()
    pool_cases()
    activation_cases()
    layer_norm2d_case()
    loss_cases()
    optimizer_cases()
    lr_schedule_case()
    small_cnn_case()

    os.makedirs(OUT_DIR, exist_ok=True)
    names = [f["name"] for f in FIXTURES]
    assert len(names) == len(set(names)), "duplicate fixture names"
    total = 0
    for fixture in FIXTURES:
        text = render(fixture)
        check_round_trip(text, fixture)
        size = len(text.encode("utf-8"))
        if size >= MAX_FILE_BYTES:
            sys.exit("%s is %d bytes (limit %d)" % (fixture["name"], size, MAX_FILE_BYTES))
        total += size
        with open(os.path.join(OUT_DIR, fixture["name"] + ".json"), "w", encoding="utf-8") as fh:
            fh.write(text)
    if total >= MAX_TOTAL_BYTES:
        sys.exit("fixtures total %d bytes (limit %d)" % (total, MAX_TOTAL_BYTES))
    with open(os.path.join(OUT_DIR, "README.md"), "w", encoding="utf-8") as fh:
        fh.write(README.format(torch_version=torch.__version__, formula=WARMUP_COSINE_FORMULA))
    print("wrote %d fixtures (%d bytes) to Tests/Fixtures" % (len(FIXTURES), total))


if __name__ == "__main__":
    main()
