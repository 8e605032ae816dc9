#!/usr/bin/env bash
# Federation throughput for docs/PERFORMANCE.md: a fleet of TIFeD devices
# (4-16-3 on a Gaussian mixture at 1 Hz, labels 20 %, status every minute)
# with a session of 3 rounds every 10 minutes (10 % of the members per
# round) and a fleet detector, at 1 000 and 10 000 devices, 1 h simulated,
# on the calendar schedule. Prints wall time, device-samples/s and rounds/s.
# usage: tests/bench/federation.sh [BUILD_DIR]
set -euo pipefail
tf=${1:-build}/tinyfleet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for n in 1000 10000; do
  cat > "$dir/fed-$n.yaml" <<YAML
name: fed-bench-$n
seed: 1
duration: 1h
network: {link: ble, channels: 4}
output: {every: 10m, window: 10m}
federation: {every: 10m, rounds: 3, participation: 0.1, deadline: 5m}
fleet_detector: {quorum: 0.2, window: 10m, action: log}
fleet:
  - group: fed
    count: $n
    device: nrf52840
    stream: {generator: gaussian_mixture, params: {features: 4, classes: 3, separation: 3}, rate: 1/s}
    labels: {fraction: 0.2, delay: 5s}
    learner: {kind: tifed, hidden: 16, buffer: 50, detector: {kind: page_hinkley, threshold: 25}}
    status: {every: 1m, bytes: 32}
YAML
  /usr/bin/time -f "%e %M" -o "$dir/time" "$tf" run -q "$dir/fed-$n.yaml" -o "$dir/out-$n"
  read -r wall rss < "$dir/time"
  rounds=$(grep -c ',round_end,' "$dir/out-$n/events.csv")
  samples=$(grep -o '"device_samples": [0-9]*' "$dir/out-$n/provenance.json" | grep -o '[0-9]*$')
  awk -v n="$n" -v w="$wall" -v r="$rounds" -v s="$samples" -v m="$rss" 'BEGIN {
    printf "%6d devices: %6.2f s wall, %5.2f M device-samples/s, %2d rounds, %6.2f rounds/s, %4.0f MB RSS\n",
      n, w, s / w / 1e6, r, r / w, m / 1024 }'
done
