#!/usr/bin/env python3
"""Extract per-locale person-name lists from the Faker wheel (MIT) into plain UTF-8 files.

Usage:
    pip download --no-deps faker -d /tmp/fk && unzip -q /tmp/fk/faker-*.whl -d /tmp/fk/x
    python3 crates/scenario/tools/extract_faker.py /tmp/fk/x crates/scenario/data/faker

Each output file `<locale>.txt` has one name per line as `kind<TAB>name`, where kind is one of
given_m, given_f, family, family_m, family_f, middle_m, middle_f. Lists are de-duplicated,
order-preserving, capped at CAP entries per kind to keep the embedded data small.
"""
import importlib
import sys
from pathlib import Path

CAP = 300
LOCALES = ["uz_UZ", "ru_RU", "ka_GE", "tr_TR", "es_MX", "es_CO", "es_ES", "pt_BR",
           "en_IN", "ro_RO"]
FIELDS = {
    "given_m": "first_names_male",
    "given_f": "first_names_female",
    "family": "last_names",
    "family_m": "last_names_male",
    "family_f": "last_names_female",
    "middle_m": "middle_names_male",
    "middle_f": "middle_names_female",
}


def main() -> None:
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    sys.path.insert(0, str(root))
    out.mkdir(parents=True, exist_ok=True)
    for loc in LOCALES:
        mod = importlib.import_module(f"faker.providers.person.{loc}")
        prov = mod.Provider
        lines = []
        for kind, attr in FIELDS.items():
            # Only attributes the locale defines itself (not inherited English defaults).
            if attr not in prov.__dict__:
                continue
            vals = prov.__dict__[attr]
            vals = list(vals.keys()) if hasattr(vals, "keys") else list(vals)
            seen, kept = set(), []
            for v in vals:
                v = v.strip()
                if v and v not in seen and "\t" not in v:
                    seen.add(v)
                    kept.append(v)
            for v in kept[:CAP]:
                lines.append(f"{kind}\t{v}")
        (out / f"{loc}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(loc, len(lines))


if __name__ == "__main__":
    main()
