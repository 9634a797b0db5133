#!/usr/bin/env python3
"""Where the name-only misses are: scores the labelled pairs file with `linkwatch match-names`
(explanations), splits dev/test as `linkwatch eval names` does (FNV-1a of id1, even = dev),
fixes the 1%-FPR threshold on the split's `ofac_shared_token_neg` negatives (from the explanations'
scores, rounded to 0.1 bit, so it can differ from `linkwatch eval names` by a pair), tabulates the
positives of one slice by joint name level (hits / misses), then lists the misses nearest the
threshold. Reads only public data; prints only.

usage: bench/names/misses.py SCORED.csv [dev|test] [slice] [n]
  where SCORED.csv = linkwatch match-names -i names/pairs_sdn_un.csv -o SCORED.csv
"""
import csv, math, re, sys
from collections import Counter

def fnv(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h

def main():
    path = sys.argv[1]
    split = sys.argv[2] if len(sys.argv) > 2 else "dev"
    sl = sys.argv[3] if len(sys.argv) > 3 else "un_good_alias"
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 60
    import signal
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under | head
    rows = []
    for r in csv.DictReader(open(path, encoding="utf-8")):
        dev = fnv(r["id1"]) % 2 == 0
        if split != "all" and (split == "dev") != dev:
            continue
        r["p"] = float(r["score"])
        m = re.search(r"=> (-?[0-9.]+) bits", r["explanation"])
        r["bits"] = float(m.group(1)) if m else -99.0
        m = re.search(r"name\[([^\]]+)\]", r["explanation"])
        r["level"] = m.group(1) if m else "-"
        rows.append(r)
    negs = sorted((r["bits"] for r in rows if r["src"] == "ofac_shared_token_neg"), reverse=True)
    k = int(math.floor(len(negs) * 0.01))
    thr = negs[k] if k < len(negs) else -99
    # eval's rule: threshold just above the (k+1)-th highest negative
    pos = [r for r in rows if r["src"] == sl and r["label"] == "1"]
    hit = [r for r in pos if r["bits"] > thr]
    print(f"{split} {sl}: {len(hit)}/{len(pos)} = {len(hit)/max(1,len(pos)):.3f} at > {thr:.2f} bits")
    lv = Counter((r["level"], r["bits"] > thr) for r in pos)
    nl = Counter(r["level"] for r in rows if r["src"] == "ofac_shared_token_neg")
    nh = Counter(r["level"] for r in rows if r["src"] == "ofac_shared_token_neg" and r["bits"] > thr)
    print(f"{'level':40} {'hit':>5} {'miss':>5} {'neg':>5} {'negFP':>5}")
    for l in sorted({x for x, _ in lv} | set(nl), key=lambda l: -(lv[(l, False)] + lv[(l, True)])):
        print(f"{l:40} {lv[(l, True)]:5} {lv[(l, False)]:5} {nl[l]:5} {nh[l]:5}")
    miss = sorted((r for r in pos if r["bits"] <= thr and not r["level"].startswith("none")), key=lambda r: -r["bits"])
    for r in miss[:n]:
        e = r["explanation"]
        e = e[e.find("calibrated"):][:200]
        print(f"{r['bits']:6.1f} {r['level']:30} {r['name1']!r} ~ {r['name2']!r}\n        {e}")

main()
