#!/usr/bin/env bash
# Regenerates the golden files in this folder: the shared Noufaily-design simulator (sim.py)
# with other seeds and a small subset (--reps 2: 8 scenarios x 2 replicates x 3 variants = 48
# series), then R surveillance 1.20.3 (Debian r-cran-surveillance) via the shared run_r.R.
# usage: make_golden.sh [SHARED_SURGE_DIR]   (default /work/shared/data/surge)
set -euo pipefail
SHARED=${1:-/work/shared/data/surge}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
for s in 7 11; do
  /usr/bin/python3 "$SHARED/sim.py" --reps 2 --seed "$s" --out "$TMP/seed$s"
  Rscript "$SHARED/run_r.R" "$TMP/seed$s" 1
  mkdir -p "$HERE/seed$s"
  for f in series outbreaks alarms_r; do gzip -9 -c "$TMP/seed$s/$f.csv" > "$HERE/seed$s/$f.csv.gz"; done
done
rm -rf "$TMP"
