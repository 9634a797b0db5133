"""Fairness check: false-positive rate per nationality of synthetic people (on no list).
  python3 bench/names/fairness.py make DATA_DIR enc.jsonl   # population -> encounters JSONL
  python3 bench/names/fairness.py table DATA_DIR hits.jsonl [THRESHOLD]
Nationality is not put in the encounters, so it cannot drive the rate; it is only the grouping."""
import csv, json, sys, collections

mode, data = sys.argv[1], sys.argv[2]
files = ["negatives_global", "negatives_us"]
if mode == "make":
    out = open(sys.argv[3], "w")
    for f in files:
        for i, r in enumerate(csv.DictReader(open(f"{data}/population/{f}.csv", encoding="utf-8"))):
            e = {"id": f"{f}-{i}", "time": "2024-01-01T00:00:00Z",
                 "place": {"kind": "border_sector", "code": "X", "name": "X", "lat": 0, "lon": 0},
                 "agency": "USBP",
                 "subject": {"names": [{"full": r["full_name"]}],
                             "sex": r["gender"] if r["gender"] in ("male", "female") else "unknown"},
                 "disposition": {"kind": "detained"}, "source": {"system": "pop", "record_id": str(i)}}
            if r["date_of_birth"]:
                e["subject"]["dob"] = r["date_of_birth"]
            out.write(json.dumps(e, ensure_ascii=False) + "\n")
else:
    thr = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
    nat = {}
    for f in files:
        for i, r in enumerate(csv.DictReader(open(f"{data}/population/{f}.csv", encoding="utf-8"))):
            nat[f"{f}-{i}"] = r["nationality"] or "unknown"
    flagged = {json.loads(l)["encounter_id"] for l in open(sys.argv[3]) if json.loads(l)["probability"] >= thr}
    tot = collections.Counter(nat.values())
    fl = collections.Counter(nat[e] for e in flagged)
    print("| nationality | people | flagged | FPR |\n|---|---:|---:|---:|")
    for g, n in sorted(tot.items(), key=lambda x: -x[1])[:25]:
        print(f"| {g} | {n} | {fl[g]} | {fl[g] / n:.4f} |")
    rates = [fl[g] / n for g, n in tot.items() if n >= 500]
    print(f"| **all** | {len(nat)} | {len(flagged)} | {len(flagged) / len(nat):.4f} |")
    print(f"\ngroups with >= 500 people: FPR min {min(rates):.4f}, max {max(rates):.4f}")
    worst = sorted(((fl[g] / n, g, n) for g, n in tot.items() if n >= 500), reverse=True)[:5]
    print("highest: " + ", ".join(f"{g} {r:.4f} ({fl[g]}/{n})" for r, g, n in worst))
