#!/usr/bin/env python3
"""Metrics of the peer scores shipped beside pairs_sdn_un.csv (nomenklatura logic-v1/v2,
name-based, ofac; watchman re-implementation), computed exactly like
`crates/names/examples/pairs_eval.rs`: dev/test split by FNV-1a(id1) parity, threshold at 1% FPR
on ofac_shared_token_neg, recall per src, ROC AUC (ties averaged).

Usage: python3 bench/names/peer_metrics.py /work/shared/data/names
"""
import bisect
import csv
import sys


def fnv(s):
    h = 0xCBF29CE484222325
    for b in s.encode():
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def auc(pos, neg):
    neg = sorted(neg)
    t = 0.0
    for p in pos:
        lo = bisect.bisect_left(neg, p)
        hi = bisect.bisect_right(neg, p)
        t += lo + (hi - lo) / 2
    return t / len(pos) / len(neg)


def metrics(rows):
    shared = sorted((r[1] for r in rows if r[0]["src"] == "ofac_shared_token_neg"), reverse=True)
    allowed = int(0.01 * len(shared))
    thr = shared[allowed] + 1e-9
    out = {}
    for src in ["ofac_sdn_aka", "un_good_alias", "un_original_script"]:
        v = [s for r, s in rows if r["src"] == src]
        out[src] = sum(1 for s in v if s >= thr) / len(v)
    pos = [s for r, s in rows if r["label"] == "1"]
    neg = [s for r, s in rows if r["label"] == "0"]
    out["auc"] = auc(pos, neg)
    return out


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/names"
    for peer in ["logic-v1", "logic-v2", "name-based", "ofac", "watchman-approx"]:
        rows = [(r, float(r["score"])) for r in csv.DictReader(open(f"{d}/pairs_sdn_un.{peer}.scores.csv"))]
        for split in ["dev", "test", "all"]:
            part = [x for x in rows if split == "all" or (fnv(x[0]["id1"]) & 1) == (0 if split == "dev" else 1)]
            m = metrics(part)
            print(f"{peer:<16} {split:<5} auc={m['auc']:.4f} aka={m['ofac_sdn_aka']:.3f} "
                  f"alias={m['un_good_alias']:.3f} script={m['un_original_script']:.3f}")


if __name__ == "__main__":
    main()
