#!/usr/bin/env bash
# Peer comparison on the same name pairs in the same run: linkwatch match-names vs nomenklatura
# (logic-v2, name-based) and rapidfuzz (token_sort_ratio). Prints throughput and the ratios.
# Usage: bench/names/run.sh [PAIRS.csv]   (default: /work/shared/data/names/pairs_sdn_un.csv)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pairs="${1:-$root/../shared/data/names/pairs_sdn_un.csv}"
venv="$root/bench/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q nomenklatura rapidfuzz
fi
cargo build --release -q -p linkwatch-cli
tmp="$(mktemp -d)"
start=$(date +%s.%N)
"$root/target/release/linkwatch" --quiet match-names --input "$pairs" --output "$tmp/lw.csv"
end=$(date +%s.%N)
lw=$(python3 -c "print($end-$start)")
"$venv/bin/python" "$here/peers.py" "$pairs" "$lw"
rm -rf "$tmp"
