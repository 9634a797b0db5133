#!/usr/bin/env bash
# Regenerates the simulation seeds listed in seeds.txt with the shared Noufaily-design simulator
# (the same generator as the shared reference set and the golden files), 15 replicates each,
# then runs the threshold selection (tuning seeds) and the held-out report.
# usage: bench/surge/make_seeds.sh [OUT=/tmp/surge-seeds] [SHARED=/work/shared/data/surge]
set -euo pipefail
OUT=${1:-/tmp/surge-seeds}
SHARED=${2:-/work/shared/data/surge}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
tune=() hold=()
while read -r role seed _; do
  case "$role" in tuning|holdout*) ;; *) continue ;; esac
  if [ "$seed" = 20240601 ]; then dir=$SHARED; else
    dir=$OUT/seed$seed
    if [ ! -f "$dir/series.csv.gz" ]; then
      /usr/bin/python3 "$SHARED/sim.py" --reps 15 --seed "$seed" --out "$dir"
      gzip -f "$dir/series.csv" "$dir/outbreaks.csv"
    fi
  fi
  if [ "$role" = tuning ]; then tune+=("$dir"); else hold+=("$dir"); fi
done < "$HERE/seeds.txt"
cd "$HERE/../.."
cargo run --release -q -p linkwatch-surge --example tune -- \
  --tune "$(IFS=,; echo "${tune[*]}")" --holdout "$(IFS=,; echo "${hold[*]}")" --max-fpr 0.009 --top 20
for d in "${hold[@]}"; do
  echo "== $d"; cargo run --release -q -p linkwatch-surge --example study -- "$d" --rust-only
done
