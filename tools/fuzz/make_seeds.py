#!/usr/bin/env python3
"""Writes the committed seed corpora under Fuzz/Corpus/ (except JPEG: make_jpeg_seeds.c, and run JSON:
copied from a real `fovea demo --epochs 1` run). Small valid files that reach deep into each parser:
libFuzzer mutates from them. Deterministic; rerun after changing it and commit the output.

Usage: tools/fuzz/make_seeds.py [CORPUS_DIR]   (default Fuzz/Corpus)
"""
import gzip
import json
import os
import struct
import sys
import zlib

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "Fuzz", "Corpus")


def put(parser, name, data):
    folder = os.path.join(root, parser)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def gz(data):
    # mtime=0 keeps the output byte-identical between runs.
    return gzip.compress(data, compresslevel=9, mtime=0)


# --- safetensors: the layout Fovea's Safetensors.write produces (sorted-key JSON header padded
# with spaces to 8-byte alignment), plus the other dtypes its reader accepts.
def safetensors(entries, metadata=None, framed=True):
    """The file, or with framed=False the harness's second form: header JSON, 0x00, tensor bytes."""
    header, body = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in entries:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(body), len(body) + len(raw)]}
        body += raw
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    text += b" " * (-(8 + len(text)) % 8)
    return struct.pack("<Q", len(text)) + text + body if framed else text + b"\0" + body


f32 = lambda *v: struct.pack("<%df" % len(v), *v)
put("safetensors", "fovea-f32.safetensors", safetensors(
    [("conv1.weight", "F32", [2, 1, 1, 2], f32(0.5, -1, 2, 0.25)), ("conv1.bias", "F32", [2], f32(0, 1)),
     ("bn.num_batches_tracked", "I64", [], struct.pack("<q", 7))],
    {"step": "3", "model": "lenet5"}))
put("safetensors", "dtypes.safetensors", safetensors(
    [("a", "F16", [2], struct.pack("<2e", 1.5, -2)), ("b", "BF16", [1, 2], b"\x80\x3f\x00\xc0"),
     ("c", "F64", [1], struct.pack("<d", 3.25)), ("d", "I64", [2], struct.pack("<2q", -1, 9))]))
put("safetensors", "empty-tensor.safetensors", safetensors([("e", "F32", [0, 3], b"")]))
put("safetensors", "header-only.safetensors", safetensors([]))
put("safetensors", "unframed-f32.json0", safetensors(
    [("w", "F32", [1, 2], f32(1, 2)), ("n.num_batches_tracked", "I64", [], struct.pack("<q", 1))], {"step": "1"}, framed=False))
put("safetensors", "unframed-dtypes.json0", safetensors(
    [("h", "F16", [2, 1], struct.pack("<2e", 1, 2)), ("d", "F64", [1], struct.pack("<d", 1))], framed=False))

# --- IDX: magic 00 00 <type> <rank>, big-endian dimensions, then the elements; raw and gzipped.
def idx(type_code, dims, payload):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


images = idx(0x08, [2, 3, 3], bytes(range(18)))
labels = idx(0x08, [2], bytes([3, 9]))
put("idx", "images-u8.idx", images)
put("idx", "images-u8.idx.gz", gz(images))
put("idx", "labels-u8.idx", labels)
put("idx", "labels-u8.idx.gz", gz(labels))
put("idx", "i16.idx", idx(0x0B, [2, 2], struct.pack(">4h", 1, -2, 300, -400)))
put("idx", "i32.idx.gz", gz(idx(0x0C, [3], struct.pack(">3i", 1, -2, 70000))))
put("idx", "f32.idx", idx(0x0D, [1, 2], struct.pack(">2f", 0.5, -1)))
put("idx", "f64.idx", idx(0x0E, [2], struct.pack(">2d", 0.5, -1)))
put("idx", "i8.idx", idx(0x09, [1, 1, 1, 2], bytes([0x80, 0x7F])))

# --- CIFAR binary: records of label byte(s) + 3072 pixel bytes (1024 R, 1024 G, 1024 B).
def record(labels, seed):
    return bytes(labels) + bytes((seed * 31 + i * 7) & 0xFF for i in range(3072))


put("cifar", "cifar10-2records.bin", record([3], 1) + record([9], 2))
put("cifar", "cifar100-1record.bin", record([19, 99], 3))
put("cifar", "cifar10-1record.bin.gz", gz(record([0], 4)))

# --- PNG, assembled chunk by chunk (independent of libpng's writer) for colour types and bit depths
# Fovea never writes: palette (+tRNS), grey 1/2/4/16-bit, grey+alpha, RGB 16-bit, RGBA, Adam7.
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, body):
    typed = kind.encode() + body
    return struct.pack(">I", len(body)) + typed + struct.pack(">I", zlib.crc32(typed))


def scanline(pixels, depth):
    """One filter-0 scanline of `pixels` (tuples of samples) at `depth` bits per sample."""
    if depth == 16:
        return b"\0" + b"".join(struct.pack(">H", s) for p in pixels for s in p)
    if depth == 8:
        return b"\0" + bytes(s for p in pixels for s in p)
    bits, out = "", bytearray()
    for p in pixels:
        for s in p:
            bits += format(s, "0%db" % depth)
    bits += "0" * (-len(bits) % 8)
    out.extend(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
    return b"\0" + bytes(out)


def png(width, height, depth, colour, sample, interlaced=False, extra=b""):
    """`sample(x, y)` gives the pixel's samples; `extra` holds chunks between IHDR and IDAT."""
    rows = b""
    passes = ADAM7 if interlaced else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        xs, ys = range(x0, width, dx), range(y0, height, dy)
        if not xs or not ys:
            continue  # empty passes have no scanlines at all (PNG spec §8.2)
        for y in ys:
            rows += scanline([sample(x, y) for x in xs], depth)
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 1 if interlaced else 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk("IHDR", ihdr) + extra
            + chunk("IDAT", zlib.compress(rows, 9)) + chunk("IEND", b""))


top = lambda depth: (1 << depth) - 1
put("png", "grey1.png", png(9, 3, 1, 0, lambda x, y: ((x + y) % 2,)))
put("png", "grey4-interlaced.png", png(9, 9, 4, 0, lambda x, y: ((x * y) % 16,), interlaced=True))
put("png", "grey16.png", png(3, 2, 16, 0, lambda x, y: (x * 20000 + y * 1000,)))
put("png", "grey-alpha8.png", png(4, 3, 8, 4, lambda x, y: (x * 60, y * 100)))
put("png", "rgb8-gamma.png", png(4, 4, 8, 2, lambda x, y: (x * 60, y * 60, 128),
                                 extra=chunk("gAMA", struct.pack(">I", 45455))))
put("png", "rgb16-interlaced.png", png(5, 5, 16, 2, lambda x, y: (x * 13000, y * 13000, top(16)), interlaced=True))
put("png", "rgba8.png", png(3, 3, 8, 6, lambda x, y: (255, x * 100, y * 100, 128 + x)))
put("png", "palette2-trns.png", png(5, 2, 2, 3, lambda x, y: ((x + y) % 4,),
                                    extra=chunk("PLTE", bytes([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]))
                                    + chunk("tRNS", bytes([0, 128]))))
put("png", "palette8-srgb.png", png(4, 4, 8, 3, lambda x, y: ((x + y) % 3,),
                                    extra=chunk("sRGB", b"\0") + chunk("PLTE", bytes([10, 20, 30, 200, 100, 0, 0, 0, 255]))))
