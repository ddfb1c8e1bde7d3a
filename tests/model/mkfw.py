#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the model's own Mali CSF firmware image.

The image uses the container format the driver parses (header magic
0xc3f13a6e, major 0; one IFACE entry) and holds no MCU code: the GPU model
plays the firmware's part itself. Its single SHARED section at MCU VA
0x04000000 lays out the interface the model and the driver use:

  0x00000  global control      0x02000  global input   0x03000  global output
  0x01000  group controls, 0x100 apart, each with its stream controls at
           +0x40, 0xc apart
  0x04000  group g input page at +g*0x2000, its output page 0x1000 after;
           stream n's input/output at +0x100 + n*0x100 in those pages

Everything the running firmware reports (interface version, features,
suspend sizes, stream capabilities) is left zero for the model to fill in at
boot, as with the real image. Usage: mkfw.py OUTPUT
"""
import struct
import sys

SHARED_VA = 0x04000000
GROUPS, STREAMS = 8, 8
GROUP_STRIDE, STREAM_STRIDE = 0x100, 0xC
GROUP_PAGES = 0x4000
SHARED_SIZE = GROUP_PAGES + GROUPS * 0x2000

FLAG_RD, FLAG_WR, FLAG_SHARED, FLAG_ZERO = 1 << 0, 1 << 1, 1 << 30, 1 << 31
HEADER = struct.Struct("<IBBHIII")      # magic, minor, major, pad, hash, pad, size
SECTION = struct.Struct("<IIIII")       # flags, va start/end, data start/end


def shared_data():
    data = bytearray(0x2000)
    struct.pack_into("<8I", data, 0, 0, 0, SHARED_VA + 0x2000, SHARED_VA + 0x3000,
                     GROUPS, GROUP_STRIDE, 0, 0)
    for g in range(GROUPS):
        ctrl = 0x1000 + g * GROUP_STRIDE
        gin = SHARED_VA + GROUP_PAGES + g * 0x2000
        gout = gin + 0x1000
        struct.pack_into("<7I", data, ctrl, 0, gin, gout, 0, 0, STREAMS, STREAM_STRIDE)
        for n in range(STREAMS):
            struct.pack_into("<3I", data, ctrl + 0x40 + n * STREAM_STRIDE, 0,
                             gin + 0x100 + n * 0x100, gout + 0x100 + n * 0x100)
    return bytes(data)


def main():
    data = shared_data()
    name = b"shared\0\0"
    entry_size = 4 + SECTION.size + len(name)
    data_start = HEADER.size + entry_size
    total = data_start + len(data)
    # The header's size covers the entries; section data follows them.
    image = HEADER.pack(0xC3F13A6E, 0, 0, 0, 0, 0, data_start)
    image += struct.pack("<I", 0 | entry_size << 8)             # IFACE entry
    image += SECTION.pack(FLAG_RD | FLAG_WR | FLAG_SHARED | FLAG_ZERO,
                          SHARED_VA, SHARED_VA + SHARED_SIZE, data_start, total)
    image += name + data
    with open(sys.argv[1], "wb") as f:
        f.write(image)


if __name__ == "__main__":
    main()
