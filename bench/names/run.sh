#!/usr/bin/env bash
# Peer comparison on the same name pairs in the same run: linkwatch match-names vs nomenklatura
# (logic-v2, logic-v1, regression-v1, name-based, ofac) and rapidfuzz (token_sort_ratio, WRatio,
# Jaro-Winkler, token_sort_ratio after ICU transliteration). Prints markdown tables: pairs/s
# (one thread), recall at 1% FPR on ofac_shared_token_neg per src slice, ROC AUC, and the ratios
# linkwatch/peer; plus a cross-check of the metric code on the peer scores shipped beside the pairs.
#
# Usage: bench/names/run.sh [PAIRS.csv] [OUT_DIR]
#   default PAIRS: <checkout>/../shared/data/names/pairs_sdn_un.csv; OUT_DIR gets scores.csv.
# Peers live in bench/.venv (never committed). Install once (needs PyPI), then it runs offline:
#   python3 -m venv bench/.venv && bench/.venv/bin/pip install -r bench/names/requirements.txt
# Environment: NO_BUILD=1 uses the existing target/release/linkwatch without `cargo build`.
# Skips with a message (exit 0) when the pairs file, the venv or a peer is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pairs="${1:-$root/../shared/data/names/pairs_sdn_un.csv}"
out="${2:-}"
py="$root/bench/.venv/bin/python"
install="python3 -m venv bench/.venv && bench/.venv/bin/pip install -r bench/names/requirements.txt"

if [ ! -f "$pairs" ]; then
  echo "bench/names/run.sh: skipped: no pairs file $pairs"; exit 0
fi
if [ ! -x "$py" ]; then
  echo "bench/names/run.sh: skipped: no venv at bench/.venv; install the peers with: $install"; exit 0
fi
if ! "$py" -c "import nomenklatura.matching, followthemoney, rapidfuzz" 2>/dev/null; then
  echo "bench/names/run.sh: skipped: nomenklatura or rapidfuzz missing from bench/.venv; install with: $install"
  exit 0
fi
bin="$root/target/release/linkwatch"
if [ "${NO_BUILD:-0}" != 1 ]; then
  (cd "$root" && cargo build --release -q -p linkwatch-cli)
fi
if [ ! -x "$bin" ]; then
  echo "bench/names/run.sh: skipped: no $bin (cargo build --release -p linkwatch-cli)"; exit 0
fi
echo "linkwatch $(cd "$root" && git describe --always --dirty 2>/dev/null || echo '?')"

# One thread everywhere (numpy/scikit-learn in nomenklatura's regression model, rayon in linkwatch).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 RAYON_NUM_THREADS=1
args=(--pairs "$pairs" --linkwatch "$bin")
[ -n "$out" ] && args+=(--out "$out")
"$py" "$here/peers.py" "${args[@]}"
