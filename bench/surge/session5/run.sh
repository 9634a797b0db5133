#!/usr/bin/env bash
# Session 5 (surge power): reproduces every figure of docs/bench-surge.md "Session 5".
# Needs the seeds of ../seeds.txt in /tmp/surge-seeds (../make_seeds.sh; 301-340 are made the
# same way: sim.py --reps 15 --seed S) and the Python venv bench/.venv (numpy, scipy).
# Work files go to /tmp/surge5.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/../../..
PY=$ROOT/bench/.venv/bin/python
cd "$ROOT" && cargo build --release -q -p linkwatch-surge --example dump
mkdir -p /tmp/surge5/dump /tmp/surge5/dump_tail
for d in /work/shared/data/surge /tmp/surge-seeds/seed*; do
  n=$(basename "$d"); [ "$n" = surge ] && n=seed20240601
  [ -f /tmp/surge5/dump/$n.csv ] || target/release/examples/dump "$d" /tmp/surge5/dump/$n.csv
  [ -f /tmp/surge5/dump_tail/$n.csv ] || target/release/examples/dump "$d" /tmp/surge5/dump_tail/$n.csv 0.005
done
cd /tmp/surge5 && cp "$HERE"/*.py .
$PY default_by_set.py              # the old default on tuning / held-out / fresh seeds
$PY pulse_lr.py                     # pulse (lognormal-profile) LR, max and mixture (tuning seeds)
$PY statistics_equal_fpr.py        # CUSUM shifts, pulse LR, mixtures, Shiryaev-Roberts (tuning seeds)
$PY score_combination.py           # CUSUM + lambda * Farrington evidence (tuning seeds)
$PY grid.py base T,H,F && $PY grid.py tail T,H,F
$PY select.py 0.0075 grid10_base_THF.pkl grid10_tail_THF.pkl   # selection on tuning seeds only
$PY grid_monotone.py tail T,H,F    # monotone added-cases alternative (the session-5 default family)
$PY select.py 0.0075 grid10_base_THF.pkl grid10_tail_THF.pkl grid11_tail_THF.pkl
$PY report.py grid10_base_THF.pkl grid10_tail_THF.pkl grid11_tail_THF.pkl
$PY confirm_g.py                   # old vs new default on seeds 401-440 (made after the choice)
