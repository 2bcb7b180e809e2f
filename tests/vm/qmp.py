#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Send one QMP command to a QEMU and print its answer.

Usage: qmp.py SOCKET COMMAND [JSON-ARGUMENTS]
Exits 0 if QEMU returned, 1 on an error answer or no answer.
"""
import json
import socket
import sys


def answer(f):
    """The next reply that is not an event."""
    for line in f:
        msg = json.loads(line)
        if 'event' not in msg:
            return msg
    return None


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(60)
    sock.connect(sys.argv[1])
    f = sock.makefile('rw')
    f.readline()  # the greeting
    f.write(json.dumps({'execute': 'qmp_capabilities'}) + '\n')
    f.flush()
    answer(f)
    cmd = {'execute': sys.argv[2]}
    if len(sys.argv) == 4:
        cmd['arguments'] = json.loads(sys.argv[3])
    f.write(json.dumps(cmd) + '\n')
    f.flush()
    reply = answer(f)
    print(json.dumps(reply))
    return 0 if reply and 'return' in reply else 1


if __name__ == '__main__':
    sys.exit(main())
