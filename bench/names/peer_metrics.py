#!/usr/bin/env python3
"""Accuracy metrics for scored name pairs, computed exactly like `linkwatch eval names` and
`crates/names/examples/pairs_eval.rs`:

- split: dev = FNV-1a 64(id1) even, test = odd (all pairs of one list entry in the same half);
- threshold at 1% FPR: just above the (floor(0.01 n))-th highest score of the
  `ofac_shared_token_neg` negatives (so at most 1% of them pass; ties at the threshold fail);
- recall per positive `src` slice at that threshold (`score >= thr`);
- ROC AUC over all positives vs all negatives, ties counted as one half.

Used as a library by `peers.py`. Run on its own, it prints the metrics of the peer scores shipped
beside the pairs file (`pairs_sdn_un.<peer>.scores.csv`: nomenklatura 4.17.4 logic-v1, logic-v2,
name-based, ofac; a re-implementation of Watchman's Jaro-Winkler core).

Usage: python3 bench/names/peer_metrics.py [/work/shared/data/names]
"""
import bisect
import csv
import math
import os
import sys

SLICES = ["ofac_sdn_aka", "un_good_alias", "un_original_script"]
HARD_NEG = "ofac_shared_token_neg"
SHIPPED = ["logic-v1", "logic-v2", "name-based", "ofac", "watchman-approx"]


def fnv(s):
    h = 0xCBF29CE484222325
    for b in s.encode():
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def in_split(row, split):
    """`row` is a dict with `id1`; split is dev, test or all."""
    if split == "all":
        return True
    return (fnv(row["id1"]) & 1) == (0 if split == "dev" else 1)


def auc(pos, neg):
    """ROC AUC (Mann-Whitney), ties between a positive and a negative count 1/2."""
    if not pos or not neg:
        return math.nan
    neg = sorted(neg)
    t = 0.0
    for p in pos:
        lo = bisect.bisect_left(neg, p)
        hi = bisect.bisect_right(neg, p)
        t += lo + (hi - lo) / 2
    return t / len(pos) / len(neg)


def threshold_at_fpr(negatives, fpr=0.01):
    """Smallest threshold that at most `fpr` of `negatives` reach (same as linkwatch-eval)."""
    v = sorted(negatives, reverse=True)
    allowed = int(math.floor(fpr * len(v)))
    if allowed >= len(v):
        return -math.inf
    return math.nextafter(v[allowed], math.inf)


def metrics(rows, fpr=0.01):
    """`rows`: list of (row dict with src/label/id1, score). Returns a dict with the recall per
    slice at `fpr` on the hard negatives, the threshold `thr`, and `auc`."""
    thr = threshold_at_fpr([s for r, s in rows if r["src"] == HARD_NEG], fpr)
    out = {"thr": thr, "n": len(rows)}
    for src in SLICES:
        v = [s for r, s in rows if r["src"] == src]
        out[src] = sum(1 for s in v if s >= thr) / len(v) if v else math.nan
    pos = [s for r, s in rows if r["label"] == "1"]
    neg = [s for r, s in rows if r["label"] == "0"]
    out["auc"] = auc(pos, neg)
    return out


def read_scores(path, column="score"):
    """(row, float score) for each row of a scored pairs CSV."""
    with open(path, encoding="utf-8", newline="") as f:
        return [(r, float(r[column])) for r in csv.DictReader(f)]


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/names"
    for peer in SHIPPED:
        path = os.path.join(d, f"pairs_sdn_un.{peer}.scores.csv")
        if not os.path.exists(path):
            print(f"{peer:<16} (no {path})")
            continue
        rows = read_scores(path)
        for split in ["dev", "test", "all"]:
            m = metrics([x for x in rows if in_split(x[0], split)])
            print(f"{peer:<16} {split:<5} auc={m['auc']:.4f} aka={m['ofac_sdn_aka']:.3f} "
                  f"alias={m['un_good_alias']:.3f} script={m['un_original_script']:.3f}")


if __name__ == "__main__":
    main()
