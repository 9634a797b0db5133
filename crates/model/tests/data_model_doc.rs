//! Every JSON example in `docs/data-model.md` must parse into the type its code fence names and
//! survive a serialise → parse round trip, so the documentation cannot drift from the code.

use linkwatch_model::{Encounter, Indicator, Name, PartnerAlert, WatchlistEntry};

fn blocks() -> Vec<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/data-model.md");
    let text = std::fs::read_to_string(path).expect("docs/data-model.md exists");
    let mut out = Vec::new();
    let mut cur: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("```json ") {
            cur = Some((rest.trim().to_string(), String::new()));
        } else if line.starts_with("```") {
            if let Some(b) = cur.take() {
                out.push(b);
            }
        } else if let Some((_, body)) = cur.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug>(
    kind: &str,
    body: &str,
) {
    let v: T = serde_json::from_str(body).unwrap_or_else(|e| panic!("{kind} example: {e}"));
    let line = serde_json::to_string(&v).expect("serialises");
    assert!(!line.contains('\n'), "JSON Lines: one record per line");
    let back: T = serde_json::from_str(&line).expect("re-parses");
    assert_eq!(back, v, "{kind} round trip");
}

#[test]
fn every_example_parses_and_round_trips() {
    let blocks = blocks();
    let kinds: Vec<&str> = blocks.iter().map(|(k, _)| k.as_str()).collect();
    for want in [
        "name",
        "encounter",
        "watchlist_entry",
        "indicator",
        "partner_alert",
    ] {
        assert!(
            kinds.contains(&want),
            "docs/data-model.md lacks a `{want}` example"
        );
    }
    for (kind, body) in &blocks {
        match kind.as_str() {
            "name" => round_trip::<Name>(kind, body),
            "encounter" => round_trip::<Encounter>(kind, body),
            "watchlist_entry" => round_trip::<WatchlistEntry>(kind, body),
            "indicator" => round_trip::<Indicator>(kind, body),
            "partner_alert" => round_trip::<PartnerAlert>(kind, body),
            other => panic!("unknown example kind {other}"),
        }
    }
}
