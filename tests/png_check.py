#!/usr/bin/env python3
"""Checks that a PNG screenshot shows a rendered page: decodes it and counts colours and ink.

Usage: png_check.py FILE MIN_COLOURS MIN_INK_PERCENT
Exit 0 when the image has at least MIN_COLOURS distinct colours and at least MIN_INK_PERCENT of
its pixels differ from the most common (background) colour; otherwise prints why and exits 1.
"""
import struct
import sys
import zlib
from collections import Counter


def decode(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
    if depth != 8 or channels is None or interlace != 0:
        sys.exit(f"{path}: unsupported PNG layout (depth {depth}, colour type {colour_type}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    path, min_colours, min_ink = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    width, height, channels, rows = decode(path)
    pixels = Counter()
    for line in rows:
        for x in range(0, len(line), channels):
            pixels[line[x:x + channels]] += 1
    background, count = pixels.most_common(1)[0]
    ink = 100.0 * (width * height - count) / (width * height)
    print(f"{path}: {width}x{height}, {len(pixels)} colours, {ink:.1f}% ink")
    if len(pixels) < min_colours:
        sys.exit(f"{path}: only {len(pixels)} colours; the page did not render")
    if ink < min_ink:
        sys.exit(f"{path}: only {ink:.2f}% of the pixels differ from the background; the page is blank")


if __name__ == "__main__":
    main()
