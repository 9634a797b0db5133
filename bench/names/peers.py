#!/usr/bin/env python3
"""linkwatch vs nomenklatura and rapidfuzz on the same name pairs, in the same run.

Scores every pair of PAIRS.csv (src,id1,id2,name1,name2,label) with
- linkwatch: `linkwatch match-names` (release binary, RAYON_NUM_THREADS=1, end to end: CSV in,
  analysis, scoring, explanation, CSV out), start-up measured on a one-pair file and subtracted;
- nomenklatura (PyPI): logic-v2 (its newest rule-based matcher, the one issue 3 quotes),
  logic-v1, regression-v1 (the package's DefaultAlgorithm), name-based and ofac, each pair as two FtM `Person` entities holding one
  `name` each (unique entity ids, so nomenklatura's per-entity caches never carry over pairs);
- rapidfuzz (PyPI): token_sort_ratio, WRatio and Jaro-Winkler (on the token-sorted string) on
  names normalised by NFKD, combining marks dropped, case folding and punctuation to spaces; and
  token_sort_ratio after ICU transliteration to ASCII (normality.ascii_text), what a rapidfuzz user
  would add for non-Latin scripts.
Every peer gets the raw name strings linkwatch gets. All timing is single-threaded, one pass over
all pairs; a peer's one-time start-up (loading reference data) is measured on a warm-up pair and
reported apart; "prep" is per-pair work before scoring (entity construction / normalisation).

Prints markdown tables: speed, accuracy on all pairs and on the test half (the half linkwatch's
model was not fitted on) with the ratios linkwatch/peer, and a cross-check of the metric code on
the peer scores shipped beside the pairs file (and of the live nomenklatura run against them).

Usage: peers.py --pairs PAIRS.csv --linkwatch target/release/linkwatch [--out DIR]
"""
import argparse
import csv
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_metrics as pm  # noqa: E402

NOMENKLATURA_ALGOS = ["logic-v2", "logic-v1", "regression-v1", "name-based", "ofac"]


class Run:
    """One system's scores and timings. Times are (wall s, CPU s) pairs; "prep" is per-pair work
    before scoring, start-up is one-time work (reference tables), excluded from the rates."""

    def __init__(self, name, scores, startup, prep, score, note="", same_scores_as=None):
        self.name, self.scores, self.note = name, scores, note
        self.startup, self.prep, self.score = startup, prep, score
        self.same_scores_as = same_scores_as  # accuracy rows are shown once per score set

    def rate(self, n, k=1):
        """pairs/s from raw strings to score (prep + score); k=1 CPU time, k=0 wall time."""
        t = self.prep[k] + self.score[k]
        return n / t if t > 0 else math.inf

    def score_rate(self, n, k=1):
        return n / self.score[k] if self.score[k] > 0 else math.inf


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_timed(cmd, env):
    c0, t0 = child_cpu(), time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return time.perf_counter() - t0, child_cpu() - c0


def run_linkwatch(binary, pairs_path, rows, tmp):
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    one = os.path.join(tmp, "one.csv")
    with open(pairs_path, encoding="utf-8", newline="") as f, open(one, "w", newline="") as g:
        rd, wr = csv.reader(f), csv.writer(g)
        wr.writerow(next(rd))
        wr.writerow(next(rd))
    base = [binary, "--quiet", "match-names"]
    # Start-up: parsing the embedded tables etc. (one pair); best of two.
    st = min((run_timed(base + ["-i", one, "-o", os.path.join(tmp, "one.out.csv")], env)
              for _ in range(2)), key=lambda x: x[1])
    out = os.path.join(tmp, "linkwatch.csv")
    wall, cpu = run_timed(base + ["-i", pairs_path, "-o", out], env)
    scores = [float(r["score"]) for r in csv.DictReader(open(out, encoding="utf-8", newline=""))]
    if len(scores) != len(rows):
        sys.exit(f"linkwatch wrote {len(scores)} scores for {len(rows)} pairs")
    out2 = os.path.join(tmp, "linkwatch.noexpl.csv")
    wall2, cpu2 = run_timed(base + ["--no-explanation", "-i", pairs_path, "-o", out2], env)
    scores2 = [float(r["score"]) for r in csv.DictReader(open(out2, encoding="utf-8", newline=""))]
    differ = sum(1 for x, y in zip(scores, scores2) if x != y)
    if differ:
        print(f"WARNING: --no-explanation changed {differ} scores", file=sys.stderr)
    def minus_startup(w, c):
        return (max(w - st[0], 1e-9), max(c - st[1], 1e-9))

    with_expl = Run("linkwatch match-names", scores, st, (0.0, 0.0), minus_startup(wall, cpu),
                    f"end to end (CSV in, analysis, scoring, explanations, CSV out): {wall:.2f} s "
                    f"wall, {cpu:.2f} s CPU before subtracting the start-up")
    no_expl = Run("linkwatch match-names --no-explanation", scores, st, (0.0, 0.0),
                  minus_startup(wall2, cpu2), f"{wall2:.2f} s wall, {cpu2:.2f} s CPU before "
                  "subtracting the start-up", same_scores_as=with_expl.name)
    return [with_expl, no_expl]


def norm(s):
    """NFKD, drop combining marks, casefold, non-alphanumerics to spaces, collapse spaces."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = "".join(c if c.isalnum() else " " for c in s)
    return " ".join(s.split())


def sort_tokens(s):
    return " ".join(sorted(s.split()))


def clock():
    return time.perf_counter(), time.process_time()


def since(t0):
    t1 = clock()
    return (t1[0] - t0[0], t1[1] - t0[1])


def timed_pairs(rows, prep_fn, score_fn):
    """Prep every name, then score every pair; returns (scores, prep, score) with (wall, CPU)."""
    t0 = clock()
    prepped = [(prep_fn(r["name1"]), prep_fn(r["name2"])) for r in rows]
    prep = since(t0)
    t1 = clock()
    scores = [score_fn(a, b) for a, b in prepped]
    return scores, prep, since(t1)


def run_rapidfuzz(rows):
    from rapidfuzz import fuzz
    from rapidfuzz.distance import JaroWinkler

    out = []
    variants = [
        ("rapidfuzz token_sort_ratio", norm, lambda a, b: fuzz.token_sort_ratio(a, b) / 100),
        ("rapidfuzz WRatio", norm, lambda a, b: fuzz.WRatio(a, b) / 100),
        ("rapidfuzz JaroWinkler (sorted tokens)", lambda s: sort_tokens(norm(s)),
         JaroWinkler.normalized_similarity),
    ]
    try:
        from normality import ascii_text

        def translit(s):
            return norm(ascii_text(s) or "")

        variants.append(("rapidfuzz token_sort_ratio + ICU translit", translit,
                         lambda a, b: fuzz.token_sort_ratio(a, b) / 100))
    except ImportError:
        print("note: normality not installed, no transliteration variant", file=sys.stderr)
    for name, prep, score in variants:
        t0 = clock()
        score(prep("Ayman al Zawahiri"), prep("Aiman Zawahri"))
        st = since(t0)
        scores, tp, ts = timed_pairs(rows, prep, score)
        out.append(Run(name, scores, st, tp, ts))
    return out


def run_nomenklatura(rows):
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    counter = [0]

    def entity(name):
        counter[0] += 1
        e = model.make_entity("Person")
        e.id = f"e{counter[0]}"
        e.add("name", name)
        return e

    out = []
    for algo_name in NOMENKLATURA_ALGOS:
        algo = get_algorithm(algo_name)
        if algo is None:
            print(f"note: nomenklatura has no algorithm {algo_name}", file=sys.stderr)
            continue
        config = algo.default_config()
        t0 = clock()
        algo.compare(entity("Ayman al Zawahiri"), entity("Aiman Zawahri"), config)
        st = since(t0)
        scores, tp, ts = timed_pairs(
            rows, entity, lambda a, b: algo.compare(a, b, config).score)
        out.append(Run(f"nomenklatura {algo_name}", scores, st, tp, ts))
        print(f"  nomenklatura {algo_name}: {ts[0]:.1f} s", file=sys.stderr, flush=True)
    return out


def fmt_ratio(a, b):
    if b == 0 or math.isnan(a) or math.isnan(b):
        return "∞" if b == 0 and a > 0 else "–"
    return f"{a / b:.2f}"


def speed_table(runs, n, lw):
    print(f"\n### Speed ({n:,} pairs, one thread, start-up excluded)\n")
    print("| system | start-up CPU s | prep CPU s | score CPU s | pairs/s CPU (raw → score) "
          "| pairs/s wall | pairs/s CPU (score only) | linkwatch ÷ peer (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        peer = not r.name.startswith("linkwatch")
        ratio = f"{lw.rate(n) / r.rate(n):,.2f}×" if peer else ""
        score_only = f"{r.score_rate(n):,.0f}" if peer else ""
        print(f"| {r.name} | {r.startup[1]:.2f} | {r.prep[1]:.2f} | {r.score[1]:.2f} | "
              f"{r.rate(n):,.0f} | {r.rate(n, 0):,.0f} | {score_only} | {ratio} |")
    print()
    for r in runs:
        if r.note:
            print(f"{r.name}: {r.note}.")


def accuracy_table(runs, rows, split, lw_name):
    idx = [i for i, r in enumerate(rows) if pm.in_split(r, split)]
    ms = {r.name: pm.metrics([(rows[i], r.scores[i]) for i in idx]) for r in runs}
    lw = ms[lw_name]
    print(f"\n### Accuracy, {split} pairs ({len(idx):,}); recall at 1% FPR on {pm.HARD_NEG}\n")
    print("| system | ofac_sdn_aka | un_good_alias | un_original_script | ROC AUC "
          "| ratio aka | ratio alias | ratio script | ratio AUC |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        if r.same_scores_as:
            continue
        m = ms[r.name]
        ratios = ["", "", "", ""] if r.name == lw_name else [
            fmt_ratio(lw[k], m[k]) for k in pm.SLICES + ["auc"]]
        print(f"| {r.name} | {m['ofac_sdn_aka']:.3f} | {m['un_good_alias']:.3f} | "
              f"{m['un_original_script']:.3f} | {m['auc']:.4f} | " + " | ".join(ratios) + " |")
    return ms


def cross_check(runs, rows, pairs_path):
    d = os.path.dirname(os.path.abspath(pairs_path))
    stem = os.path.basename(pairs_path)[:-len(".csv")]
    live = {r.name.replace("nomenklatura ", ""): r for r in runs}
    print("\n### Cross-check: peer scores shipped beside the pairs file, same metric code\n")
    print("| shipped scores | ofac_sdn_aka | un_good_alias | un_original_script | ROC AUC "
          "| live run: pairs with the same score (±1e-4) |")
    print("|---|---:|---:|---:|---:|---:|")
    for peer in pm.SHIPPED:
        path = os.path.join(d, f"{stem}.{peer}.scores.csv")
        if not os.path.exists(path):
            continue
        shipped = pm.read_scores(path)
        if len(shipped) != len(rows) or any(
                a["name1"] != b[0]["name1"] or a["name2"] != b[0]["name2"]
                for a, b in zip(rows, shipped)):
            print(f"| {peer} | (rows differ from the pairs file, skipped) | | | | |")
            continue
        m = pm.metrics(shipped)
        agree = ""
        if peer in live:
            same = sum(1 for s, (_, t) in zip(live[peer].scores, shipped) if abs(s - t) <= 1.5e-4)
            agree = f"{same / len(rows):.4f}"
        print(f"| {peer} | {m['ofac_sdn_aka']:.3f} | {m['un_good_alias']:.3f} | "
              f"{m['un_original_script']:.3f} | {m['auc']:.4f} | {agree} |")


def versions():
    out = []
    for mod in ["nomenklatura", "followthemoney", "rigour", "rapidfuzz", "normality"]:
        try:
            from importlib.metadata import version
            out.append(f"{mod} {version(mod)}")
        except Exception:
            pass
    return ", ".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--linkwatch", required=True, help="release binary")
    ap.add_argument("--out", help="write every system's per-pair scores to DIR/scores.csv")
    a = ap.parse_args()

    with open(a.pairs, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    n = len(rows)
    load0 = os.getloadavg()
    print(f"## linkwatch vs peers on {a.pairs} ({n:,} pairs)\n")
    print(f"Python {sys.version.split()[0]}; {versions()}; "
          f"{os.cpu_count()} CPUs; load average at start {load0[0]:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        print("running linkwatch ...", file=sys.stderr, flush=True)
        runs = run_linkwatch(a.linkwatch, a.pairs, rows, tmp)
    print("running rapidfuzz ...", file=sys.stderr, flush=True)
    runs += run_rapidfuzz(rows)
    print("running nomenklatura ...", file=sys.stderr, flush=True)
    runs += run_nomenklatura(rows)
    load1 = os.getloadavg()

    lw = runs[0]
    speed_table(runs, n, lw)
    for split in ["all", "test"]:
        accuracy_table(runs, rows, split, lw.name)
    print("\nRatios are linkwatch ÷ peer (speed: pairs/s raw → score, linkwatch with explanations; "
          "accuracy: recall or AUC). Test = FNV-1a(id1) odd, the half linkwatch's model was not "
          "estimated on; peers were fitted on neither.")
    cross_check(runs, rows, a.pairs)
    print(f"\nLoad average at end {load1[0]:.2f} (1 min), {load1[1]:.2f} (5 min).")

    if a.out:
        os.makedirs(a.out, exist_ok=True)
        path = os.path.join(a.out, "scores.csv")
        scored = [x for x in runs if not x.same_scores_as]
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["src", "id1", "id2", "name1", "name2", "label"]
                       + [x.name for x in scored])
            for i, r in enumerate(rows):
                w.writerow([r["src"], r["id1"], r["id2"], r["name1"], r["name2"], r["label"]]
                           + [f"{x.scores[i]:.6f}" for x in scored])
        print(f"\nper-pair scores: {path}")


if __name__ == "__main__":
    main()
