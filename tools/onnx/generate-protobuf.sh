#!/usr/bin/env bash
# Regenerates Sources/FoveaONNXProto/onnx.pb.swift, the Swift types of ONNX's protobuf schema.
# CI never runs this: the generated file is committed. Run it after changing either version below.
#
# Needs protoc (Debian: protobuf-compiler), pip (to fetch the onnx wheel, which carries onnx.proto)
# and git access to apple/swift-protobuf, whose protoc-gen-swift it builds (about 1–10 minutes).
# Set PROTOC_GEN_SWIFT=/path/to/protoc-gen-swift to reuse a plugin built at the same version.
set -euo pipefail
cd "$(dirname "$0")/../.."

ONNX_VERSION=1.23.2        # schema: IR version 11, opsets up to 24
SWIFT_PROTOBUF_VERSION=1.39.0   # must match the swift-protobuf version Package.swift resolves

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m pip download --quiet --no-deps "onnx==$ONNX_VERSION" -d "$work/wheel"
unzip -q -o "$work"/wheel/onnx-*.whl 'onnx/onnx.proto' -d "$work/schema"

plugin=${PROTOC_GEN_SWIFT:-}
if [ -z "$plugin" ]; then
    git clone --quiet --depth 1 --branch "$SWIFT_PROTOBUF_VERSION" https://github.com/apple/swift-protobuf "$work/swift-protobuf"
    swift build -c release --product protoc-gen-swift --package-path "$work/swift-protobuf"
    plugin="$work/swift-protobuf/.build/release/protoc-gen-swift"
fi

protoc --plugin="protoc-gen-swift=$plugin" \
       --proto_path="$work/schema/onnx" \
       --swift_opt=Visibility=Public \
       --swift_out="$work" onnx.proto
mkdir -p Sources/FoveaONNXProto
mv "$work/onnx.pb.swift" Sources/FoveaONNXProto/onnx.pb.swift
echo "wrote Sources/FoveaONNXProto/onnx.pb.swift (onnx $ONNX_VERSION, swift-protobuf $SWIFT_PROTOBUF_VERSION)"
