#!/usr/bin/env bash
# Times R surveillance 1.20.3 (Debian r-cran-surveillance) on the shared Noufaily-design
# simulator output and prints the median milliseconds per series-week per method, for the
# speed ratio in docs/bench-surge.md. usage: bench/surge/time_r.sh [SEED] [REPS]
set -euo pipefail
SEED=${1:-7}; REPS=${2:-2}
SHARED=/work/shared/data/surge
TMP=$(mktemp -d)
/usr/bin/python3 "$SHARED/sim.py" --reps "$REPS" --seed "$SEED" --out "$TMP"
Rscript "$SHARED/run_r.R" "$TMP" 1
/usr/bin/python3 - "$TMP/timing_r.csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for m in sorted({r["method"] for r in rows}):
    v = [float(r["seconds_per_49wk"]) for r in rows if r["method"] == m]
    print(f"{m}: median {statistics.median(v) / 49 * 1000:.2f} ms per series-week ({len(v)} series)")
PY
rm -rf "$TMP"
