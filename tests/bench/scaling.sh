#!/usr/bin/env bash
# The scaling table of docs/PERFORMANCE.md: the quickstart-like fleet (kNN with a
# 64-entry knowledge base + Page-Hinkley, SEA at 1 Hz, a 64 B report per device
# per minute) at 1 000, 10 000 and 100 000 devices, each schedule where it can run,
# and the plain loop. usage: tests/bench/scaling.sh [BUILD_DIR]
set -euo pipefail
bench=${1:-build}/tinyfleet_bench
run() { "$bench" "$@" | sed 's/^/  /'; }
echo "1 000 devices, 1 h simulated"
for m in plain devices calendar per-sample; do run $m --devices 1000 --hours 1; done
echo "10 000 devices, 1 h simulated (per-sample: 6 min)"
for m in plain devices calendar; do run $m --devices 10000 --hours 1; done
run per-sample --devices 10000 --hours 0.1
echo "100 000 devices, 15 min simulated (the per-sample schedule cannot run: one actor per device)"
for m in plain devices calendar; do run $m --devices 100000 --hours 0.25; done
