#!/usr/bin/env bash
# Installs what tinyfleet needs from Debian 12 packages (as root; skipped when
# already present), then configures and builds into ./build.
set -euo pipefail
cd "$(dirname "$0")"
packages=(cmake g++ make pkg-config libsimgrid-dev libeigen3-dev libboost-dev libspdlog-dev
          libyaml-cpp-dev doctest-dev libcli11-dev nlohmann-json3-dev zlib1g-dev
          dataset-fashion-mnist gnuplot-nox chromium libsqlite3-dev slurmctld slurmd
          slurm-client munge liblzma-dev librdata-dev)
# liblzma-dev + librdata-dev: read R .rda data sets (xz, then R serialisation; drift/data_rda.cpp).
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
# Real data sets (docs/DATASETS.md): apt-get download + dpkg-deb -x into build/datasets,
# no dependencies installed; skipped when already cached.
scripts/fetch-datasets.sh build/datasets
