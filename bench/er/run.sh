#!/usr/bin/env bash
# Entity-resolution benchmark: 1 M synthetic people (~10% duplicates), linkwatch vs Splink 5
# (DuckDB, 2 threads) on the same file in the same run. Prints time, peak memory and pairwise
# F1 of each and the ratios. Usage: bench/er/run.sh [records] [seed]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}; SEED=${2:-1}
OUT=bench/out/er; mkdir -p "$OUT"
cargo build --release -q -p linkwatch-cli
cargo build --release -q -p linkwatch-resolve --examples
F="$OUT/people_${N}.csv"
target/release/examples/gen_people "$N" "$F" "$SEED"
measure() { /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > "$OUT/log.txt" 2>&1 || { cat "$OUT/log.txt"; exit 1; }; cat "$OUT/time.txt"; }
echo "== linkwatch"
read LW_S LW_KB < <(measure taskset -c 0,1 target/release/linkwatch --quiet dedupe --input "$F" \
  --schema examples/schemas/people.toml --output "$OUT/lw_clusters.csv")
LW_F1=$(target/release/examples/score_clusters "$OUT/lw_clusters.csv" --truth "$F" --id unique_id --truth-col cluster | tee /dev/stderr | sed 's/.*F1 \([0-9.]*\) (tp.*/\1/')
echo "linkwatch: ${LW_S}s, $((LW_KB/1024)) MB peak, pairwise F1 $LW_F1"
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv && bench/.venv/bin/pip install -q "splink>=5" duckdb \
    || { echo "Splink could not be installed (no PyPI access?)"; exit 0; }
fi
echo "== splink $(bench/.venv/bin/python -c 'import splink; print(splink.__version__)')"
read SP_S SP_KB < <(measure taskset -c 0,1 bench/.venv/bin/python bench/er/splink_dedupe.py "$F" "$OUT/splink_clusters.csv")
SP_F1=$(target/release/examples/score_clusters "$OUT/splink_clusters.csv" --truth "$F" --id unique_id --truth-col cluster | tee /dev/stderr | sed 's/.*F1 \([0-9.]*\) (tp.*/\1/')
echo "splink: ${SP_S}s, $((SP_KB/1024)) MB peak, pairwise F1 $SP_F1"
python3 -c "print(f'ratios (splink / linkwatch): time {float($SP_S)/float($LW_S):.1f}x, memory {$SP_KB/$LW_KB:.1f}x; F1 linkwatch {float(\"$LW_F1\"):.4f} vs splink {float(\"$SP_F1\"):.4f}')"
