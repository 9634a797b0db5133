#!/bin/bash
# A/B of two score_speed builds on a shared, loaded machine: runs BEFORE and AFTER in turn RUNS
# times with the given score_speed arguments and prints, per pair set and measurement, every
# pairs/CPU-s value, the median and the best (docs/bench-matching.md, "Session 7: scorer speed").
#
# Build each side in its own tree at the same base (see notes: private worktree with its own
# CARGO_TARGET_DIR), copy target/release/examples/score_speed to two names, then e.g.
#   bench/names/score_ab.sh ./ss.before ./ss.after 5 2 fast --queries 500
set -euo pipefail
B=$1; A=$2; N=$3; shift 3
out=$(mktemp)
for _ in $(seq "$N"); do
  for x in "$B" "$A"; do
    "$x" "$@" | awk -v x="$x" '/^pairs:/ {s="P"} /^screen:/ {s="S"}
      /pairs\/CPU-s/ {for (k = 1; k <= NF; k++) if ($k == "pairs/CPU-s") v = $(k-1); print x, s "-" $1, v}' >> "$out"
  done
done
awk '{k = $1 " " $2; a[k] = a[k] " " $3} END {for (k in a) print k, a[k]}' "$out" | sort -k2,2 -k1,1 |
  while read -r x m vals; do
    sorted=$(echo "$vals" | tr ' ' '\n' | sort -n)
    med=$(echo "$sorted" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    echo "$m $x: $(echo $sorted) | median $med best $(echo "$sorted" | tail -1)"
  done
uptime
rm -f "$out"
