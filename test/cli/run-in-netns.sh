#!/bin/sh
# Runs a command in a network namespace of its own that has only loopback, brought up: whatever
# it starts (native binaries included, which ignore Node's guards) can reach 127.0.0.1 and ::1
# and nothing else. Needs root (unshare --net).
set -e
exec unshare --net sh -c 'ip link set lo up && exec "$@"' sh "$@"
