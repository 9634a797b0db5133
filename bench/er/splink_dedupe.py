"""Splink 5 (DuckDB, 2 threads) on a people.toml-layout file: the same fields and blocking
ideas as examples/schemas/people.toml, unsupervised training (u random sampling, m by EM per
blocking pass), predict at p >= 0.5, cluster, and pairwise F1 against the `cluster` column.
Usage: python splink_dedupe.py people.csv out_clusters.csv"""
import sys, time
import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

src, out = sys.argv[1], sys.argv[2]
t0 = time.time()
con = duckdb.connect()
con.execute("SET threads TO 2")
df = con.sql(f"select * from read_csv('{src}', all_varchar=true)")
db_api = DuckDBAPI(connection=con)
settings = SettingsCreator(
    link_type="dedupe_only",
    unique_id_column_name="unique_id",
    comparisons=[
        cl.NameComparison("first_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.PostcodeComparison("postcode"),
        cl.EmailComparison("email"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("email"),
        block_on("first_name", "surname", "substr(dob,1,4)"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode", "substr(first_name,1,1)", "substr(dob,1,4)"),
        block_on("postcode", "substr(surname,1,3)"),
    ],
    retain_intermediate_calculation_columns=False,
)
sdf = db_api.register(df)
linker = Linker(sdf, settings)
linker.training.estimate_probability_two_random_records_match(
    [block_on("first_name", "surname", "dob")], recall=0.7)
linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
pred = linker.inference.predict(threshold_match_probability=0.5)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.5)
cdf = clusters.as_duckdbpyrelation()
con.sql("select unique_id, cluster_id from cdf").write_csv(out)
print(f"splink_seconds {time.time() - t0:.2f}")
