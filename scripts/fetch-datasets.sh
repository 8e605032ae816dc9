#!/usr/bin/env bash
# Fetches the real data sets tinyfleet replays (docs/DATASETS.md) into a cache
# directory, default build/datasets. Each Debian package is downloaded with
# `apt-get download` (no dependencies are pulled, nothing is installed) and
# unpacked with `dpkg-deb -x` into a scratch directory; only the files listed
# below are kept. Idempotent: a data set whose files are all present is skipped.
# Source of the package/file list: /work/shared/reference/taxonomy.md §4.
#
# usage: scripts/fetch-datasets.sh [CACHE_DIR]
set -euo pipefail
cache="${1:-$(cd "$(dirname "$0")/.." && pwd)/build/datasets}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"

# package | directory inside the package | files to keep
entries=(
  "python3-sklearn|usr/lib/python3/dist-packages/sklearn/datasets/data|digits.csv.gz"
  "python3-vega-datasets|usr/lib/python3/dist-packages/vega_datasets/_data|seattle-weather.csv"
  "r-cran-mlbench|usr/lib/R/site-library/mlbench/data|Vowel.rda LetterRecognition.rda Shuttle.rda"
  "libfann-doc|usr/share/doc/libfann-dev/examples/datasets|thyroid.train thyroid.test"
  "python3-statsmodels|usr/lib/python3/dist-packages/statsmodels/datasets/nile|nile.csv"
)

status=0
for entry in "${entries[@]}"; do
  IFS='|' read -r package inner files <<<"$entry"
  missing=0
  for f in $files; do [ -s "$cache/$f" ] || missing=1; done
  if [ "$missing" = 0 ]; then
    echo "fetch-datasets: $package: cached"
    continue
  fi
  scratch="$(mktemp -d)"
  # A fresh image may have no package lists yet: update them once, then retry.
  if ! (cd "$scratch" && apt-get download -q "$package" >/dev/null 2>"$scratch/apt.log") &&
     ! { apt-get update -qq >/dev/null 2>&1 &&
         (cd "$scratch" && apt-get download -q "$package" >/dev/null 2>"$scratch/apt.log"); }; then
    echo "fetch-datasets: $package: apt-get download failed:" >&2
    cat "$scratch/apt.log" >&2
    rm -rf "$scratch"
    status=1
    continue
  fi
  dpkg-deb -x "$scratch"/"$package"_*.deb "$scratch/root"
  for f in $files; do
    if [ ! -s "$scratch/root/$inner/$f" ]; then
      echo "fetch-datasets: $package: $inner/$f not in the package" >&2
      status=1
      continue
    fi
    # Copy to a temporary name first so an interrupted run leaves no half file.
    cp "$scratch/root/$inner/$f" "$cache/$f.part" && mv "$cache/$f.part" "$cache/$f"
  done
  rm -rf "$scratch"
  echo "fetch-datasets: $package: fetched $files"
done
echo "fetch-datasets: cache $cache"
exit "$status"
