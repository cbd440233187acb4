#!/usr/bin/env bash
# Makes (once) the Python environment the ONNX checks run in — onnx, onnxruntime, numpy from PyPI,
# never PyTorch — and prints its python. Usage: PY=$(tools/onnx/venv.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv-onnx
if ! "$venv/bin/python" -c "import onnx, onnxruntime, numpy" >/dev/null 2>&1; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check "onnx==1.23.2" "onnxruntime>=1.17" "numpy" >&2
fi
echo "$PWD/$venv/bin/python"
