#!/usr/bin/env bash
# Entity-resolution benchmarks behind docs/bench-resolve.md, in one command:
#   1. FEBRL dataset1-3 dedupe (pairwise F1; floor 0.995 on dataset3), if ../shared/data exists;
#   2. scenario encounters (pairwise precision/recall, B-cubed; floors P >= 0.99, R >= 0.97);
#   3. N synthetic people (default 1 M, ~10% duplicates): linkwatch wall, CPU (user+sys), peak
#      memory and pairwise F1 at the schema's fixed threshold; then Splink 5 (DuckDB, 2 threads)
#      on the same file in the same run, and the ratios. With SPLINK_N < N, Splink and linkwatch
#      also run on the first SPLINK_N records, and the ratios are printed for that slice;
#   4. incremental: one new record at a time against INCR_N resolved records (default 5 M).
# Usage: bench/er/run.sh [N=1000000] [seed=1]
# Env: SPLINK_N (default N), INCR_N (default 5000000), SKIP_SPLINK=1, SKIP_INCREMENTAL=1,
#      SKIP_QUALITY=1 (skips 1 and 2). Every step prints the load average: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}; SEED=${2:-1}
SPLINK_N=${SPLINK_N:-$N}; INCR_N=${INCR_N:-5000000}
OUT=bench/out/er; mkdir -p "$OUT"
cargo build --release -q -p linkwatch-cli
cargo build --release -q -p linkwatch-resolve --examples
LW=target/release/linkwatch
SCORE=target/release/examples/score_clusters
load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
# measure CMD...: runs CMD (stdout+stderr to $OUT/log.txt), sets WALL, CPU (user+sys), KB.
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > "$OUT/log.txt" 2>&1 \
    || { cat "$OUT/log.txt"; return 1; }
  read -r WALL U S KB < "$OUT/time.txt"
  CPU=$(python3 -c "print(f'{$U + $S:.2f}')")
}
f1_of() { sed -n 's/.*pairwise precision.* F1 \([0-9.]*\) (tp.*/\1/p'; }
score() { $SCORE "$@" | tee /dev/stderr; echo >&2; }

if [ "${SKIP_QUALITY:-0}" != 1 ]; then
  D=../shared/data/febrl
  if [ -d "$D" ]; then
    echo "== FEBRL (examples/schemas/febrl.toml, unchanged)"
    for k in 1 2 3; do
      $LW --quiet dedupe --input "$D/dataset$k.csv" --schema examples/schemas/febrl.toml \
        --output "$OUT/febrl$k.csv" 2> /dev/null
      echo -n "dataset$k: "; $SCORE "$OUT/febrl$k.csv" --febrl; echo
    done
  else
    echo "== FEBRL skipped ($D not found)"
  fi
  echo "== scenario encounters (50k, seed 1)"
  $LW --quiet generate --encounters 50000 --watchlist-size 1000 --seed 1 --out "$OUT/scen" > /dev/null
  load
  measure $LW --quiet resolve --encounters "$OUT/scen/encounters.jsonl" \
    --output "$OUT/scen_persons.csv" --truth "$OUT/scen/truth/persons.csv"
  grep -E "pairwise precision" "$OUT/log.txt"
  echo "linkwatch resolve: ${WALL}s wall, ${CPU}s CPU, $((KB/1024)) MB peak"
fi

F="$OUT/people_${N}.csv"
[ -f "$F" ] || target/release/examples/gen_people "$N" "$F" "$SEED"
run_lw() { # file tag
  load
  measure taskset -c 0,1 $LW --quiet dedupe --input "$1" --schema examples/schemas/people.toml \
    --output "$OUT/lw_$2.csv"
  LW_WALL=$WALL; LW_CPU=$CPU; LW_KB=$KB
  LW_F1=$(score "$OUT/lw_$2.csv" --truth "$1" --id unique_id --truth-col cluster | f1_of)
  echo "linkwatch ($2): ${LW_WALL}s wall, ${LW_CPU}s CPU, $((LW_KB/1024)) MB peak, pairwise F1 $LW_F1"
}
echo "== linkwatch, $N people (seed $SEED)"
run_lw "$F" "$N"

if [ "${SKIP_SPLINK:-0}" != 1 ]; then
  if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv && bench/.venv/bin/pip install -q "splink>=5" duckdb \
      || { echo "Splink could not be installed (no PyPI access?)"; exit 0; }
  fi
  SF="$F"
  if [ "$SPLINK_N" -lt "$N" ]; then
    SF="$OUT/people_${N}_first_${SPLINK_N}.csv"
    head -n $((SPLINK_N + 1)) "$F" > "$SF"
    echo "== linkwatch on the same slice as Splink (first $SPLINK_N records)"
    run_lw "$SF" "slice$SPLINK_N"
  fi
  echo "== splink $(bench/.venv/bin/python -c 'import splink; print(splink.__version__)') on $SF"
  load
  measure taskset -c 0,1 bench/.venv/bin/python bench/er/splink_dedupe.py "$SF" "$OUT/splink_clusters.csv" "$OUT/splink_model.json"
  grep -E "^ +[0-9.]+s  " "$OUT/log.txt" || true
  SP_F1=$(score "$OUT/splink_clusters.csv" --truth "$SF" --id unique_id --truth-col cluster | f1_of)
  echo "splink: ${WALL}s wall, ${CPU}s CPU, $((KB/1024)) MB peak, pairwise F1 $SP_F1"
  python3 -c "print(f'ratios on {\"$SF\"} (splink / linkwatch): wall {$WALL/$LW_WALL:.1f}x, CPU {$CPU/$LW_CPU:.1f}x, memory {$KB/$LW_KB:.1f}x; pairwise F1 linkwatch {float(\"$LW_F1\"):.4f} vs splink {float(\"$SP_F1\"):.4f}')"
fi

if [ "${SKIP_INCREMENTAL:-0}" != 1 ]; then
  echo "== incremental: 2000 new records against $INCR_N resolved"
  load
  measure target/release/examples/incremental_bench "$INCR_N" 2000
  cat "$OUT/log.txt"
  echo "incremental bench: ${WALL}s wall, ${CPU}s CPU, $((KB/1024)) MB peak"
fi
