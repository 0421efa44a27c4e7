#!/usr/bin/env python3
"""Draws RedShip's toolbar icons (16/32/48/128 PNG) with no image library: a red rounded
square with a white parcel. Run once; the PNGs are committed under extension/icons/."""
import struct, zlib, sys, os

RED, WHITE, FOLD = (255, 36, 66, 255), (255, 255, 255, 255), (255, 214, 220, 255)

def pixel(x, y, n):
    u, v = (x + 0.5) / n, (y + 0.5) / n
    r = 0.2  # corner radius, as a fraction of the size
    cx, cy = min(max(u, r), 1 - r), min(max(v, r), 1 - r)
    if (u - cx) ** 2 + (v - cy) ** 2 > r * r:
        return (0, 0, 0, 0)
    if 0.24 <= u <= 0.76 and 0.30 <= v <= 0.78:          # the parcel
        if 0.46 <= u <= 0.54 and v <= 0.52:              # its tape
            return RED
        return FOLD if v <= 0.40 else WHITE
    if 0.30 <= u <= 0.70 and 0.20 <= v < 0.30 and abs(u - 0.5) <= 0.2 - (0.30 - v):  # lid
        return WHITE
    return RED

def png(n):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y, n)) for x in range(n)) for y in range(n))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))

out = sys.argv[1] if len(sys.argv) > 1 else "extension/icons"
os.makedirs(out, exist_ok=True)
for n in (16, 32, 48, 128):
    with open(os.path.join(out, f"icon{n}.png"), "wb") as f:
        f.write(png(n))
