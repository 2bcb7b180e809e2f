#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare a screenshot (binary PPM, as QMP screendump writes it) with the
display test pattern of tests/l2/fbfill.c: pixel (x, y) has red x, green y
and blue x ^ y (low 8 bits). Prints TAP lines numbered from N.

Usage: ppmcheck.py FILE WIDTH HEIGHT N [PNG]
  PNG  also save the picture there as a PNG (for people to look at)
       ppmcheck.py --png FILE PNG
  only convert the picture (for the demo), and print its size
"""
import struct
import sys
import zlib


def read_ppm(path):
    """Width, height and RGB bytes of a P6 file with 8-bit samples."""
    with open(path, 'rb') as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b'P6' or int(fields[3]) != 255:
        raise ValueError('not an 8-bit binary PPM')
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1:pos + 1 + 3 * w * h]


def write_png(path, w, h, rgb):
    """The picture as an 8-bit RGB PNG."""
    def chunk(kind, body):
        out = struct.pack('>I', len(body)) + kind + body
        return out + struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff)
    rows = b''.join(b'\0' + rgb[3 * w * y:3 * w * (y + 1)] for y in range(h))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b'IDAT', zlib.compress(rows)))
        f.write(chunk(b'IEND', b''))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == '--png':
        try:
            w, h, rgb = read_ppm(sys.argv[2])
        except (OSError, ValueError, IndexError) as e:
            print(f'{sys.argv[2]}: not a PPM picture ({e})', file=sys.stderr)
            return 1
        write_png(sys.argv[3], w, h, rgb)
        print(f'{w}x{h}')
        return 0
    if len(sys.argv) not in (5, 6):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    want_w, want_h, n = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    try:
        w, h, rgb = read_ppm(sys.argv[1])
    except (OSError, ValueError, IndexError) as e:
        print(f'not ok {n} - the screenshot is a PPM picture ({e})')
        print(f'not ok {n + 1} - every pixel is the pattern\'s')
        return 1
    ok = (w, h) == (want_w, want_h) and len(rgb) == 3 * w * h
    print(f'{"" if ok else "not "}ok {n} - the screenshot is {w}x{h}, '
          f'the size of the plane ({want_w}x{want_h})')
    bad = 0
    first = None
    if ok:
        for y in range(h):
            for x in range(w):
                i = 3 * (w * y + x)
                if tuple(rgb[i:i + 3]) != (x & 255, y & 255, (x ^ y) & 255):
                    bad += 1
                    first = first or (x, y, tuple(rgb[i:i + 3]))
    good = ok and bad == 0
    print(f'{"" if good else "not "}ok {n + 1} - every pixel is the pattern\'s '
          f'({bad} differ{", first at " + str(first) if first else ""})')
    if len(sys.argv) == 6 and ok:
        write_png(sys.argv[5], w, h, rgb)
    return 0 if good else 1


if __name__ == '__main__':
    sys.exit(main())
