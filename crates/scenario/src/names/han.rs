//! Chinese names: Han characters with pinyin, rendered as pinyin (joined or split given names)
//! or Wade–Giles (Taiwan-style passports, older documents). Own tables; knows nothing of the
//! matcher.

/// Pinyin syllable → Wade–Giles (simplified: no aspiration apostrophes when `apostrophes` is
/// false, as often typed).
pub fn wade_giles(py: &str, apostrophes: bool) -> String {
    let ap = if apostrophes { "'" } else { "" };
    let (initial, fin) = split(py);
    let wi: String = match initial {
        "zh" => "ch".into(),
        "ch" => format!("ch{ap}"),
        "j" => "ch".into(),
        "q" => format!("ch{ap}"),
        "x" => "hs".into(),
        "z" => "ts".into(),
        "c" => format!("ts{ap}"),
        "r" => "j".into(),
        "b" => "p".into(),
        "p" => format!("p{ap}"),
        "d" => "t".into(),
        "t" => format!("t{ap}"),
        "g" => "k".into(),
        "k" => format!("k{ap}"),
        i => i.into(),
    };
    let wf = match (initial, fin) {
        (_, "ong") => "ung",
        (_, "iong") => "iung",
        (_, "ian") => "ien",
        (_, "ie") => "ieh",
        ("zh" | "ch" | "sh" | "r", "i") => "ih",
        ("z" | "c" | "s", "i") => "u",
        (_, "e")
            if matches!(
                initial,
                "g" | "k" | "h" | "zh" | "ch" | "sh" | "r" | "z" | "c" | "s" | "d" | "t"
            ) =>
        {
            "o"
        }
        ("j" | "q" | "x", "u") => "ü",
        ("j" | "q" | "x", "uan") => "üan",
        (_, "ui") => "uei",
        (_, "iu") => "iu",
        (_, f) => f,
    };
    format!("{wi}{wf}")
}

fn split(py: &str) -> (&str, &str) {
    for ini in ["zh", "ch", "sh"] {
        if let Some(rest) = py.strip_prefix(ini) {
            return (ini, rest);
        }
    }
    let b = py.as_bytes();
    if !b.is_empty() && !b"aeiou".contains(&b[0]) {
        return (&py[..1], &py[1..]);
    }
    ("", py)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn wg() {
        assert_eq!(wade_giles("zhang", false), "chang");
        assert_eq!(wade_giles("xiao", false), "hsiao");
        assert_eq!(wade_giles("qiang", true), "ch'iang");
        assert_eq!(wade_giles("zhou", false), "chou");
        assert_eq!(wade_giles("dong", false), "tung");
    }
}
