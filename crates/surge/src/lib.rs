//! Surge detection over count series: Farrington Flexible (original 1996 and improved Noufaily
//! 2013 settings), EARS C1/C2/C3, negative-binomial GLR/CUSUM (Höhle & Paul 2008), count-series
//! construction from encounters (aggregate only: never anything about an individual), and
//! multi-series runs with ranking, region roll-ups and Benjamini–Hochberg false-discovery
//! control. No I/O: counts and encounters come in as values, alarms go out as values.

// `!(x > 0.0)` is deliberate throughout: it is true for NaN too. Index loops mirror the
// published algorithms (matrix code) and are kept for readability.
#![allow(
    clippy::neg_cmp_op_on_partial_ord,
    clippy::nonminimal_bool,
    clippy::needless_range_loop
)]

pub mod chart;
pub mod detect;
pub mod ears;
pub mod farrington;
pub mod glm;
pub mod glr;
pub mod markov;
pub mod series;
pub mod stats;

pub use detect::{
    analyze, analyze_series, benjamini_hochberg, Alarm, Report, SeriesResult, SurgeConfig,
};
pub use ears::{ears_week, EarsConfig, EarsMethod, EarsWeek};
pub use farrington::{Farrington, FarringtonConfig, FarringtonWeek, NotTested, ThresholdMethod};
pub use glr::{
    fit_in_control, glr_monitor, CusumAlternative, GlrConfig, GlrLikelihood, GlrWeek, InControl,
};
pub use series::{
    aggregate, parse_by, region_of, CountBuilder, CountTable, Dimension, Granularity,
};
