//! The per-thread memos inside `analyze` (raw-token pieces with their tokens, joins) never
//! change its output: `analyze(x) == analyze_uncached(x)` field for field (and in `Debug`), on a
//! generated multi-script sample (cold and warm memo, past the memo's eviction size), on
//! arbitrary strings (proptest), and on the shared data's list names and name-table forms when
//! `../shared/data` is present (skipped otherwise).

use linkwatch_names::{analyze, analyze_uncached};
use proptest::prelude::*;

fn assert_same(name: &str) {
    let a = analyze(name);
    let b = analyze_uncached(name);
    assert_eq!(a, b, "analysis of {name:?} differs with the memo");
    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{name:?}");
}

/// Name parts in the scripts and spelling systems the scenario generator and the lists use.
const PARTS: &[&str] = &[
    // Latin: Uzbek, Turkish/Azeri, Slavic romanisations, Arabic romanisations, Indonesian,
    // Somali, Spanish, French, with diacritics and apostrophes
    "Abdulla",
    "KARIMOV",
    "Karimova",
    "Rustamovich",
    "o‘g‘li",
    "qizi",
    "G‘ulomov",
    "Shavkat",
    "Şükrü",
    "Öz-Demir",
    "Əliyev",
    "Gülnarə",
    "Ayman",
    "AL-ZAWAHIRI",
    "al",
    "bin",
    "Abd",
    "al-Rahman",
    "Abdurrahman",
    "Shamsurrahman",
    "ur-Rahman",
    "Muhammad",
    "Mohd",
    "Md",
    "Syarif",
    "Rasyid",
    "Achmad",
    "Xasan",
    "Cabdi",
    "Cali",
    "Maxamed",
    "Albaker",
    "Elsayed",
    "José",
    "Nuñez",
    "de",
    "la",
    "Cruz",
    "François",
    "Dupont",
    "van",
    "der",
    "Berg",
    "Jr.",
    "Dr.",
    "Haji",
    "Mullah",
    "Sheikh",
    "Ćorić",
    "Šimić",
    "Łukasz",
    "Dorvil",
    "Nathalie",
    "ERNESTO",
    "Cano",
    "Duarte",
    "Evdokija",
    "Julʹevna",
    "Ermakova",
    "J.",
    "A",
    "Khader",
    "Kader",
    "Ishakzai",
    "Abu",
    "Bakr",
    "Abubakr",
    "ould",
    "Yahya",
    "AL-HAJJ",
    "O'Brien",
    // Cyrillic (Russian, Ukrainian, Uzbek, Kazakh, Tajik letters)
    "Абдулла",
    "Каримов",
    "Рустамович",
    "Мирзиёев",
    "Шавкат",
    "Ўктам",
    "Ғулом",
    "Қодиров",
    "Ҳасан",
    "Їжак",
    "Євген",
    "Олжас",
    "Сүлейменов",
    "Джураев",
    "Ёқубов",
    "угли",
    // Arabic and Persian script
    "محمد",
    "عبد",
    "الرحمن",
    "الزواهري",
    "أيمن",
    "شوكت",
    "اسحاقزی",
    "علی",
    "حسین",
    "الله",
    "عبدالله",
    "بن",
    "ابو",
    "بكر",
    "ـمحمد",
    "پرویز",
    "گل",
    "چهره",
    // Other scripts the transliterators know
    "Αλέξανδρος",
    "Παπαδόπουλος",
    "გიორგი",
    "ბერიძე",
    "Արամ",
    "Պետրոսյան",
    "דוד",
    "כהן",
    "王",
    "小明",
    "さくら",
    "김민준",
    "राहुल",
    "शर्मा",
    // Noise: digits, symbols, zero-width joiners, compatibility forms
    "X1",
    "ﬁnn",
    "Ａｌｉ",
    "a\u{200D}b",
    "--",
    "“Ali”",
    "İSTANBUL",
];

const SEPARATORS: &[&str] = &[" ", " ", " ", ", ", "-", " ", "  ", ";", " / "];

/// A deterministic xorshift generator (no dependency on the scenario crate).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn generated(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let k = 1 + rng.below(5);
            let mut s = String::new();
            for i in 0..k {
                if i > 0 {
                    s.push_str(SEPARATORS[rng.below(SEPARATORS.len())]);
                }
                let p = PARTS[rng.below(PARTS.len())];
                match rng.below(4) {
                    0 => s.push_str(&p.to_uppercase()),
                    1 => s.push_str(&p.to_lowercase()),
                    _ => s.push_str(p),
                }
                // Unique-ish suffixes so the sample overflows the memo (forces evictions).
                if rng.below(3) == 0 {
                    let n = rng.below(200_000);
                    s.push_str(&["a", "ov", "i", "e", "u"][n % 5].repeat(1 + n % 3));
                    for c in n.to_string().chars() {
                        s.push((b'a' + c.to_digit(10).unwrap_or(0) as u8) as char);
                    }
                }
            }
            s
        })
        .collect()
}

#[test]
fn memo_never_changes_the_analysis_of_generated_names() {
    let names = generated(80_000, 0x9e37_79b9_7f4a_7c15);
    // Cold memo, then warm memo (second pass: every token comes from the memo or after an
    // eviction), and names analysed in another order.
    for n in &names {
        assert_same(n);
    }
    for n in names.iter().rev().step_by(3) {
        assert_same(n);
    }
}

#[test]
fn memo_is_per_thread_and_consistent_across_threads() {
    let names = generated(20_000, 42);
    let handles: Vec<_> = (0..2)
        .map(|t| {
            let names = names.clone();
            std::thread::spawn(move || {
                let start = t * 7_000;
                for n in names[start..].iter().chain(&names[..start]) {
                    assert_same(n);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn memo_never_changes_the_analysis_of_arbitrary_text(s in "\\PC{0,40}") {
        // twice: the second call reads the memo the first filled
        prop_assert_eq!(analyze(&s), analyze_uncached(&s));
        prop_assert_eq!(analyze(&s), analyze_uncached(&s));
    }

    #[test]
    fn memo_never_changes_the_analysis_of_name_like_text(
        idx in proptest::collection::vec((0..PARTS.len(), 0..SEPARATORS.len()), 1..6)
    ) {
        let mut s = String::new();
        for (p, sep) in idx {
            s.push_str(PARTS[p]);
            s.push_str(SEPARATORS[sep]);
        }
        prop_assert_eq!(analyze(&s), analyze_uncached(&s));
        prop_assert_eq!(analyze(&s), analyze_uncached(&s));
    }
}

fn shared_data() -> Option<std::path::PathBuf> {
    let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    d.is_dir().then_some(d)
}

#[test]
fn memo_never_changes_the_analysis_of_list_names_and_table_forms() {
    let Some(data) = shared_data() else {
        eprintln!("note: ../shared/data absent; list-name memo check skipped");
        return;
    };
    let mut names: Vec<String> = Vec::new();
    if let Ok(mut r) = csv::Reader::from_path(data.join("names/pairs_sdn_un.csv")) {
        for rec in r.records().flatten() {
            for i in [3, 4] {
                if let Some(n) = rec.get(i) {
                    names.push(n.to_string());
                }
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string(data.join("names/rigour_person_names.txt")) {
        // Every 8th line's forms (multi-script spellings of one name), alone and as pairs.
        for line in text.lines().step_by(8) {
            let forms = line.split(" => ").next().unwrap_or("");
            let forms: Vec<&str> = forms.split(", ").collect();
            for w in forms.windows(2) {
                names.push(w[0].to_string());
                names.push(format!("{} {}", w[1], w[0]));
            }
        }
    }
    names.sort();
    names.dedup();
    assert!(
        names.len() > 1_000,
        "shared data present but few names read"
    );
    for n in &names {
        assert_same(n);
    }
    for n in names.iter().step_by(5) {
        assert_same(n);
    }
}
