//! Deterministic synthetic world: encounters at the southwest border, watchlist, smuggling networks, indicators, partner alerts, with ground truth.
