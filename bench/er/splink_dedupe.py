"""Splink 5 (DuckDB, 2 threads) on a people.toml-layout file (unique_id, first_name, surname,
dob, city, postcode, email), configured the way Splink's documentation does it for this kind of
data (the `deduplicate_50k_synthetic` demo and the "estimating model parameters" tutorial):

- comparisons: ForenameSurnameComparison (with first/last swaps and term frequencies),
  DateOfBirthComparison, ExactMatch(city) with TF, Levenshtein on the (numeric, non-UK)
  postcode, EmailComparison;
- prediction blocking: first name/surname/dob/postcode/email combinations;
- prior from deterministic rules (first_name+surname+dob, email; recall 0.6), u by random sampling, m by EM on two blocking
  passes (first_name+surname, then dob), predict at p >= 0.5, connected-component clustering.

Prints per-stage timings to stderr and `splink_seconds N` at the end.
Usage: python splink_dedupe.py people.csv out_clusters.csv [model.json]"""
import sys
import time

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

src, out = sys.argv[1], sys.argv[2]
# EM blocking passes: each pass estimates the m of the fields it does not block on.
EM_RULES = [("dob",), ("email",)]
t0 = time.time()


def stage(name):
    print(f"  {time.time() - t0:8.2f}s  {name}", file=sys.stderr, flush=True)


con = duckdb.connect()
con.execute("SET threads TO 2")
con.execute(
    f"""create table people as select unique_id, first_name, surname, dob, city, postcode, email,
        concat_ws(' ', first_name, surname) as first_name_surname_concat
        from read_csv('{src}', all_varchar=true)"""
)
stage("loaded")
db_api = DuckDBAPI(connection=con)
settings = SettingsCreator(
    link_type="dedupe_only",
    unique_id_column_name="unique_id",
    comparisons=[
        cl.ForenameSurnameComparison(
            "first_name",
            "surname",
            forename_surname_concat_col_name="first_name_surname_concat",
        ),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.LevenshteinAtThresholds("postcode", [1, 2]),  # 5-digit codes, not UK postcodes
        cl.EmailComparison("email"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("email"),
        block_on("first_name", "surname"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode", "substr(first_name,1,1)"),
    ],
    retain_intermediate_calculation_columns=False,
    retain_matching_columns=False,
)
sdf = db_api.register(con.table("people"))
linker = Linker(sdf, settings)
linker.training.estimate_probability_two_random_records_match(
    # Deterministic rules that are near-certain matches on person files (the documented
    # example also uses a dob + postcode rule, which here catches relatives sharing a household
    # and inflates the prior about fifty-fold).
    [block_on("first_name", "surname", "dob"), block_on("email")],
    recall=0.6,
)
stage("prior")
linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
stage("u")
for rule in EM_RULES:
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on(*rule), estimate_without_term_frequencies=True
    )
    stage(f"EM pass on {rule}")
if len(sys.argv) > 3:
    linker.misc.save_model_to_json(sys.argv[3], overwrite=True)
pred = linker.inference.predict(threshold_match_probability=0.5)
stage("predict")
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.5)
cdf = clusters.as_duckdbpyrelation()
con.sql("select unique_id, cluster_id from cdf").write_csv(out)
stage("clustered and written")
print(f"splink_seconds {time.time() - t0:.2f}")
