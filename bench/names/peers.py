"""Score the same pairs with nomenklatura and rapidfuzz; print pairs/s and ratios vs linkwatch."""
import csv, sys, time

pairs_path, lw_seconds = sys.argv[1], float(sys.argv[2])
rows = list(csv.DictReader(open(pairs_path, encoding="utf-8")))
n = len(rows)
print(f"pairs: {n}")
print(f"linkwatch match-names (with explanations, end to end): {lw_seconds:.2f}s = {n / lw_seconds:,.0f} pairs/s")

from rapidfuzz import fuzz
t = time.time()
for r in rows:
    fuzz.token_sort_ratio(r["name1"], r["name2"])
rf = time.time() - t
print(f"rapidfuzz token_sort_ratio: {rf:.2f}s = {n / rf:,.0f} pairs/s (linkwatch/rapidfuzz speed ratio {rf / lw_seconds:.2f})")

try:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    for algo_name in ["logic-v2", "name-based"]:
        algo = get_algorithm(algo_name)
        if algo is None:
            continue
        config = ScoringConfig.defaults()
        sample = rows[:2000]
        t = time.time()
        for r in sample:
            a = model.make_entity("Person")
            a.id = "a"
            a.add("name", r["name1"])
            b = model.make_entity("Person")
            b.id = "b"
            b.add("name", r["name2"])
            algo.compare(a, b, config)
        dt = time.time() - t
        rate = len(sample) / dt
        print(f"nomenklatura {algo_name}: {rate:,.0f} pairs/s (2000-pair sample) (linkwatch is {n / lw_seconds / rate:,.1f}x faster)")
except Exception as e:  # peers' API changes between versions
    print(f"nomenklatura: not measured ({e})")
