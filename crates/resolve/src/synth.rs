//! Synthetic person files for benchmarks and tests, in the `people.toml` layout (unique_id,
//! first_name, surname, dob, city, postcode, email) plus a `cluster` truth column. Mixed name
//! origins (English, Spanish, Turkish, Uzbek, Indian, Russian, Arabic, Chinese), households
//! sharing surname and address, and realistic corruption of duplicates: typos, spelling
//! variants, first/last swaps, surname changes, moves, DOB digit errors, day/month swaps,
//! placeholder dates, missing values. Every person is invented; deterministic for a seed.
//!
//! Knows nothing of models, blocking or files (the caller writes the rows).

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One generated record.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRow {
    pub unique_id: String,
    pub first_name: String,
    pub surname: String,
    pub dob: String,
    pub city: String,
    pub postcode: String,
    pub email: String,
    /// True person id.
    pub cluster: u32,
}

struct Origin {
    weight: f64,
    male: &'static [&'static str],
    female: &'static [&'static str],
    surnames: &'static [&'static str],
    /// female surname form: append this (Slavic/Uzbek -ova/-eva)
    female_suffix: bool,
    compound: bool,
}

const ORIGINS: &[Origin] = &[
    Origin {
        weight: 0.20,
        male: &[
            "james",
            "john",
            "robert",
            "michael",
            "william",
            "david",
            "richard",
            "joseph",
            "thomas",
            "charles",
            "christopher",
            "daniel",
            "matthew",
            "anthony",
            "mark",
            "donald",
            "steven",
            "paul",
            "andrew",
            "joshua",
            "kenneth",
            "kevin",
            "brian",
            "george",
            "timothy",
            "ronald",
            "edward",
            "jason",
            "jeffrey",
            "ryan",
            "jacob",
            "gary",
            "nicholas",
            "eric",
            "jonathan",
            "stephen",
            "larry",
            "justin",
            "scott",
            "brandon",
            "benjamin",
            "samuel",
            "gregory",
            "alexander",
            "patrick",
            "frank",
            "raymond",
            "jack",
            "dennis",
            "jerry",
        ],
        female: &[
            "mary",
            "patricia",
            "jennifer",
            "linda",
            "elizabeth",
            "barbara",
            "susan",
            "jessica",
            "sarah",
            "karen",
            "lisa",
            "nancy",
            "betty",
            "margaret",
            "sandra",
            "ashley",
            "kimberly",
            "emily",
            "donna",
            "michelle",
            "carol",
            "amanda",
            "dorothy",
            "melissa",
            "deborah",
            "stephanie",
            "rebecca",
            "sharon",
            "laura",
            "cynthia",
            "kathleen",
            "amy",
            "angela",
            "shirley",
            "anna",
            "brenda",
            "pamela",
            "emma",
            "nicole",
            "helen",
            "samantha",
            "katherine",
            "christine",
            "debra",
            "rachel",
            "carolyn",
            "janet",
            "catherine",
            "maria",
            "heather",
        ],
        surnames: &[
            "smith",
            "johnson",
            "williams",
            "brown",
            "jones",
            "miller",
            "davis",
            "wilson",
            "anderson",
            "taylor",
            "thomas",
            "moore",
            "jackson",
            "martin",
            "lee",
            "thompson",
            "white",
            "harris",
            "clark",
            "lewis",
            "robinson",
            "walker",
            "young",
            "allen",
            "king",
            "wright",
            "scott",
            "hill",
            "green",
            "adams",
            "baker",
            "nelson",
            "carter",
            "mitchell",
            "roberts",
            "turner",
            "phillips",
            "campbell",
            "parker",
            "evans",
            "edwards",
            "collins",
            "stewart",
            "morris",
            "murphy",
            "cook",
            "rogers",
            "morgan",
            "peterson",
            "cooper",
            "reed",
            "bailey",
            "bell",
            "kelly",
            "howard",
            "ward",
            "cox",
            "richardson",
            "wood",
            "watson",
            "brooks",
            "bennett",
            "gray",
            "james",
            "hughes",
            "price",
            "sanders",
            "myers",
            "long",
            "ross",
            "foster",
            "powell",
            "jenkins",
            "perry",
            "russell",
            "sullivan",
            "fisher",
            "henderson",
            "coleman",
            "simmons",
            "patterson",
            "jordan",
            "reynolds",
            "hamilton",
            "graham",
            "wallace",
            "west",
            "cole",
            "hayes",
            "gibson",
            "bryant",
            "ellis",
            "stevens",
            "murray",
            "ford",
            "marshall",
            "owens",
            "mcdonald",
            "harrison",
            "kennedy",
        ],
        female_suffix: false,
        compound: false,
    },
    Origin {
        weight: 0.22,
        male: &[
            "jose",
            "juan",
            "luis",
            "carlos",
            "jesus",
            "miguel",
            "francisco",
            "jorge",
            "pedro",
            "manuel",
            "antonio",
            "alejandro",
            "rafael",
            "fernando",
            "ricardo",
            "roberto",
            "eduardo",
            "javier",
            "sergio",
            "mario",
            "oscar",
            "raul",
            "victor",
            "alberto",
            "hector",
            "arturo",
            "enrique",
            "martin",
            "ramon",
            "pablo",
            "andres",
            "diego",
            "gerardo",
            "ruben",
            "alfredo",
            "guillermo",
            "rodrigo",
            "ernesto",
            "salvador",
            "ignacio",
            "julio",
            "cesar",
            "adrian",
            "hugo",
            "gustavo",
            "armando",
            "santiago",
            "marco",
            "felipe",
            "ivan",
        ],
        female: &[
            "maria",
            "guadalupe",
            "juana",
            "margarita",
            "veronica",
            "leticia",
            "rosa",
            "josefina",
            "alejandra",
            "patricia",
            "elizabeth",
            "gabriela",
            "adriana",
            "claudia",
            "lucia",
            "silvia",
            "ana",
            "laura",
            "martha",
            "teresa",
            "carmen",
            "yolanda",
            "isabel",
            "monica",
            "sofia",
            "valentina",
            "camila",
            "daniela",
            "mariana",
            "fernanda",
            "andrea",
            "paola",
            "carolina",
            "natalia",
            "diana",
            "beatriz",
            "raquel",
            "esperanza",
            "gloria",
            "irma",
            "norma",
            "sandra",
            "angelica",
            "lorena",
            "estela",
            "araceli",
            "blanca",
            "lourdes",
            "cristina",
            "pilar",
        ],
        surnames: &[
            "garcia",
            "rodriguez",
            "martinez",
            "hernandez",
            "lopez",
            "gonzalez",
            "perez",
            "sanchez",
            "ramirez",
            "torres",
            "flores",
            "rivera",
            "gomez",
            "diaz",
            "reyes",
            "morales",
            "cruz",
            "ortiz",
            "gutierrez",
            "chavez",
            "ramos",
            "ruiz",
            "alvarez",
            "mendoza",
            "castillo",
            "jimenez",
            "moreno",
            "romero",
            "herrera",
            "medina",
            "aguilar",
            "vargas",
            "castro",
            "guzman",
            "fernandez",
            "juarez",
            "munoz",
            "salazar",
            "rojas",
            "mendez",
            "vasquez",
            "dominguez",
            "soto",
            "delgado",
            "contreras",
            "sandoval",
            "guerrero",
            "rios",
            "estrada",
            "ortega",
            "nunez",
            "vega",
            "cabrera",
            "campos",
            "fuentes",
            "carrillo",
            "espinoza",
            "navarro",
            "acosta",
            "figueroa",
            "cortes",
            "silva",
            "pena",
            "luna",
            "miranda",
            "lara",
            "valdez",
            "ibarra",
            "velasquez",
            "cardenas",
            "maldonado",
            "orozco",
            "escobar",
            "pacheco",
            "bautista",
            "calderon",
            "solis",
            "zamora",
            "serrano",
            "molina",
        ],
        female_suffix: false,
        compound: true,
    },
    Origin {
        weight: 0.13,
        male: &[
            "mehmet", "mustafa", "ahmet", "ali", "huseyin", "hasan", "ibrahim", "ismail", "osman",
            "yusuf", "murat", "omer", "ramazan", "halil", "suleyman", "abdullah", "mahmut",
            "recep", "salih", "kemal", "emre", "burak", "serkan", "volkan", "cem", "selim",
            "sukru", "tarik", "orhan", "erdogan", "kadir", "yasin", "hakan", "gokhan", "baris",
            "onur", "caner", "tolga", "ugur", "levent",
        ],
        female: &[
            "fatma", "ayse", "emine", "hatice", "zeynep", "elif", "meryem", "sultan", "sevgi",
            "hulya", "ozlem", "esra", "merve", "busra", "gulsen", "nurten", "derya", "ebru",
            "asli", "pinar", "sibel", "tugba", "dilek", "songul", "gamze", "yasemin", "gulay",
            "hacer", "leyla", "sevim", "nermin", "canan", "seda", "burcu", "irem", "cansu",
            "aylin", "nazli", "tulay", "gizem",
        ],
        surnames: &[
            "yilmaz", "kaya", "demir", "sahin", "celik", "yildiz", "yildirim", "ozturk", "aydin",
            "ozdemir", "arslan", "dogan", "kilic", "aslan", "cetin", "kara", "koc", "kurt",
            "ozkan", "simsek", "polat", "ozcan", "korkmaz", "cakir", "erdogan", "yavuz", "can",
            "acar", "sen", "aktas", "guler", "yalcin", "gunes", "bozkurt", "bulut", "keskin",
            "unal", "turan", "gul", "ozer", "isik", "kaplan", "avci", "sari", "tekin", "tas",
            "kose", "yuksel", "ates", "aksoy",
        ],
        female_suffix: false,
        compound: false,
    },
    Origin {
        weight: 0.10,
        male: &[
            "shavkat",
            "rustam",
            "bakhtiyor",
            "jamshid",
            "sherzod",
            "farrukh",
            "dilshod",
            "ulugbek",
            "akmal",
            "bobur",
            "sardor",
            "aziz",
            "otabek",
            "jasur",
            "sanjar",
            "bekzod",
            "nodir",
            "anvar",
            "alisher",
            "javlon",
            "timur",
            "davron",
            "ravshan",
            "olim",
            "khurshid",
            "ilhom",
            "zafar",
            "mirzo",
            "islom",
            "doniyor",
            "abdulla",
            "botir",
            "elyor",
            "hamid",
            "kamol",
        ],
        female: &[
            "gulnora",
            "dilnoza",
            "nilufar",
            "malika",
            "shahnoza",
            "zarina",
            "kamola",
            "madina",
            "feruza",
            "nodira",
            "mohira",
            "dildora",
            "sevara",
            "lola",
            "gulchehra",
            "mukhlisa",
            "yulduz",
            "nargiza",
            "umida",
            "barno",
            "shoira",
            "dilfuza",
            "mahliyo",
            "zilola",
            "gulbahor",
            "iroda",
            "saodat",
            "munisa",
            "oydin",
            "hilola",
        ],
        surnames: &[
            "karimov",
            "rakhimov",
            "yusupov",
            "abdullaev",
            "tashkentov",
            "nazarov",
            "umarov",
            "sharipov",
            "khodjaev",
            "ismoilov",
            "mirzaev",
            "aliev",
            "rashidov",
            "saidov",
            "tursunov",
            "ergashev",
            "sobirov",
            "kholmatov",
            "nurmatov",
            "usmonov",
            "jurayev",
            "qodirov",
            "fayzullaev",
            "musaev",
            "hamidov",
            "azimov",
            "boboev",
            "safarov",
            "toshmatov",
            "eshonov",
            "xolmirzaev",
            "normatov",
            "rahmonov",
            "sultanov",
            "valiev",
            "yuldashev",
            "zakirov",
            "ibragimov",
            "kamalov",
            "latipov",
        ],
        female_suffix: true,
        compound: false,
    },
    Origin {
        weight: 0.15,
        male: &[
            "rahul",
            "amit",
            "sanjay",
            "vijay",
            "rajesh",
            "suresh",
            "ramesh",
            "anil",
            "sunil",
            "arun",
            "ajay",
            "manoj",
            "deepak",
            "ashok",
            "vikram",
            "arjun",
            "rohan",
            "aditya",
            "karan",
            "nikhil",
            "pradeep",
            "ravi",
            "sachin",
            "gaurav",
            "harish",
            "mahesh",
            "naveen",
            "prakash",
            "rakesh",
            "sandeep",
            "vinod",
            "yogesh",
            "abhishek",
            "ankit",
            "vivek",
            "siddharth",
            "varun",
            "akash",
            "pankaj",
            "dinesh",
        ],
        female: &[
            "priya",
            "anjali",
            "sunita",
            "pooja",
            "neha",
            "kavita",
            "anita",
            "rekha",
            "meena",
            "lakshmi",
            "divya",
            "shweta",
            "swati",
            "nisha",
            "deepika",
            "aishwarya",
            "shreya",
            "ritu",
            "sapna",
            "geeta",
            "asha",
            "usha",
            "radha",
            "sita",
            "jyoti",
            "pallavi",
            "madhuri",
            "preeti",
            "sneha",
            "ananya",
            "kiran",
            "archana",
            "bhavna",
            "komal",
            "manisha",
            "nandini",
            "payal",
            "rashmi",
            "seema",
            "vandana",
        ],
        surnames: &[
            "sharma",
            "verma",
            "gupta",
            "singh",
            "kumar",
            "patel",
            "shah",
            "mehta",
            "joshi",
            "desai",
            "reddy",
            "rao",
            "nair",
            "menon",
            "iyer",
            "pillai",
            "chopra",
            "malhotra",
            "kapoor",
            "khanna",
            "agarwal",
            "bansal",
            "jain",
            "mishra",
            "pandey",
            "tiwari",
            "dubey",
            "yadav",
            "chauhan",
            "thakur",
            "saxena",
            "srivastava",
            "bhatt",
            "trivedi",
            "kulkarni",
            "patil",
            "deshmukh",
            "banerjee",
            "chatterjee",
            "mukherjee",
            "das",
            "bose",
            "sen",
            "ghosh",
            "dutta",
            "chowdhury",
            "naidu",
            "krishnan",
            "subramanian",
            "venkatesh",
        ],
        female_suffix: false,
        compound: false,
    },
    Origin {
        weight: 0.08,
        male: &[
            "alexander",
            "sergei",
            "dmitry",
            "andrei",
            "alexei",
            "ivan",
            "mikhail",
            "nikolai",
            "vladimir",
            "yuri",
            "pavel",
            "oleg",
            "igor",
            "maxim",
            "artem",
            "roman",
            "evgeny",
            "konstantin",
            "viktor",
            "boris",
        ],
        female: &[
            "elena",
            "olga",
            "natalia",
            "tatiana",
            "irina",
            "svetlana",
            "anna",
            "maria",
            "ekaterina",
            "yulia",
            "anastasia",
            "marina",
            "ludmila",
            "galina",
            "daria",
            "ksenia",
            "alina",
            "polina",
            "oksana",
            "vera",
        ],
        surnames: &[
            "ivanov",
            "smirnov",
            "kuznetsov",
            "popov",
            "vasiliev",
            "petrov",
            "sokolov",
            "mikhailov",
            "novikov",
            "fedorov",
            "morozov",
            "volkov",
            "alekseev",
            "lebedev",
            "semenov",
            "egorov",
            "pavlov",
            "kozlov",
            "stepanov",
            "nikolaev",
            "orlov",
            "andreev",
            "makarov",
            "nikitin",
            "zakharov",
            "zaitsev",
            "soloviev",
            "borisov",
            "yakovlev",
            "grigoriev",
        ],
        female_suffix: true,
        compound: false,
    },
    Origin {
        weight: 0.07,
        male: &[
            "mohammed", "ahmed", "mahmoud", "mustafa", "khalid", "omar", "hassan", "hussein",
            "ibrahim", "youssef", "abdullah", "tariq", "said", "karim", "nasser", "walid", "samir",
            "faisal", "jamal", "rashid",
        ],
        female: &[
            "fatima", "aisha", "maryam", "zainab", "khadija", "amina", "layla", "noor", "salma",
            "huda", "rania", "yasmin", "mona", "hana", "samira", "lina", "dina", "reem", "nadia",
            "sara",
        ],
        surnames: &[
            "al masri", "haddad", "khoury", "nasser", "hamdan", "saleh", "mansour", "darwish",
            "aziz", "qasim", "rahman", "abbas", "hussein", "yousef", "khalil", "othman", "jaber",
            "salem", "bakr", "hamid", "farouk", "sabbagh", "shami", "halabi", "tamimi",
        ],
        female_suffix: false,
        compound: false,
    },
    Origin {
        weight: 0.05,
        male: &[
            "wei", "jun", "hao", "lei", "jian", "ming", "tao", "qiang", "yong", "jie", "bo",
            "gang", "hui", "peng", "chao",
        ],
        female: &[
            "fang", "jing", "li", "min", "xiu", "yan", "ying", "hong", "mei", "lan", "xia", "na",
            "ling", "juan", "qing",
        ],
        surnames: &[
            "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu",
            "sun", "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo",
        ],
        female_suffix: false,
        compound: false,
    },
];

const CITY_ROOTS: &[&str] = &[
    "spring", "river", "oak", "maple", "cedar", "pine", "lake", "hill", "green", "fair", "west",
    "east", "north", "south", "new", "port", "glen", "ash", "elm", "stone", "brook", "clear",
    "silver", "red", "white", "rock", "sand", "mill", "bridge", "kings", "queens", "mount", "bay",
    "san", "santa", "el", "los", "las", "del", "mar",
];
const CITY_SUFFIX: &[&str] = &[
    "field", "ville", "ton", "wood", "dale", "view", "burg", "haven", "crest", "port", "land",
    "side", "mont", "vista", "grove", "ridge", "falls", "park", "springs", "city",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "mail.ru",
    "yandex.ru",
    "icloud.com",
    "aol.com",
    "proton.me",
    "rediffmail.com",
    "yahoo.com.mx",
    "gmail.com",
    "gmail.com",
];

/// Pick from a list ordered by popularity with weight ~ 1/(rank+1) (log-uniform draw).
fn zipf_pick<'a, R: Rng>(rng: &mut R, list: &'a [&'a str]) -> &'a str {
    let n = list.len() as f64;
    let u: f64 = rng.gen();
    let x = (u * (n + 1.0).ln()).exp() - 1.0;
    list[(x as usize).min(list.len() - 1)]
}

struct Place {
    city: String,
    postcode: String,
}

fn make_places(rng: &mut ChaCha8Rng) -> Vec<Place> {
    let mut cities: Vec<String> = Vec::new();
    for r in CITY_ROOTS {
        for s in CITY_SUFFIX {
            cities.push(if r.len() <= 3 {
                format!("{r} {s}")
            } else {
                format!("{r}{s}")
            });
        }
    }
    cities.shuffle(rng);
    let mut places = Vec::new();
    let mut code = 10_000u32;
    for city in cities {
        let n = rng.gen_range(1..=12);
        for _ in 0..n {
            code += rng.gen_range(1..15);
            places.push(Place {
                city: city.clone(),
                postcode: format!("{:05}", code % 100_000),
            });
        }
    }
    places
}

fn typo(rng: &mut ChaCha8Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 2 {
        return s.to_string();
    }
    let p = rng.gen_range(0..c.len());
    let letters = "abcdefghijklmnopqrstuvwxyz";
    let rl = || letters.chars().nth((p * 7 + c.len()) % 26).unwrap_or('e');
    match rng.gen_range(0..4) {
        0 => {
            c[p] = rl();
        }
        1 => {
            c.remove(p);
        }
        2 => {
            c.insert(p, rl());
        }
        _ => {
            if p + 1 < c.len() {
                c.swap(p, p + 1);
            } else {
                c.swap(p - 1, p);
            }
        }
    }
    c.into_iter().collect()
}

/// Spelling variants of transliterated names (Uzbek/Russian/Turkish/Arabic romanisations).
fn variant(rng: &mut ChaCha8Rng, s: &str) -> String {
    const RULES: &[(&str, &str)] = &[
        ("kh", "x"),
        ("sh", "sch"),
        ("ch", "tch"),
        ("yu", "iu"),
        ("ya", "ia"),
        ("ov", "off"),
        ("ev", "eff"),
        ("ei", "ey"),
        ("iy", "y"),
        ("ou", "u"),
        ("q", "k"),
        ("j", "dzh"),
        ("oo", "u"),
        ("ee", "i"),
        ("ph", "f"),
        ("mohammed", "muhammad"),
        ("z", "s"),
        ("v", "w"),
        ("c", "k"),
        ("y", "i"),
    ];
    let applicable: Vec<&(&str, &str)> = RULES.iter().filter(|(a, _)| s.contains(a)).collect();
    match applicable.choose(rng) {
        Some((a, b)) => s.replacen(a, b, 1),
        None => typo(rng, s),
    }
}

fn fmt_dob(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in(y: i32, m: u32) -> u32 {
    match m {
        2 => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Clone)]
struct Truth {
    first: String,
    surname: String,
    y: i32,
    m: u32,
    d: u32,
    place: usize,
    email: String,
    origin: usize,
    female: bool,
}

/// Generate about `n_records` records, ~`dup_share` of them duplicates of another record's
/// person, deterministically from `seed`. Records are shuffled; ids are `r0000001`...
pub fn generate_people(n_records: usize, dup_share: f64, seed: u64) -> Vec<PersonRow> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let places = make_places(&mut rng);
    let n_dups_target = (n_records as f64 * dup_share) as usize;
    let n_persons = n_records - n_dups_target;
    let wsum: f64 = ORIGINS.iter().map(|o| o.weight).sum();
    let mut persons: Vec<Truth> = Vec::with_capacity(n_persons);
    while persons.len() < n_persons {
        // origin
        let mut x = rng.gen::<f64>() * wsum;
        let mut oi = 0;
        for (k, o) in ORIGINS.iter().enumerate() {
            if x < o.weight {
                oi = k;
                break;
            }
            x -= o.weight;
        }
        let o = &ORIGINS[oi];
        // household of 1..4 sharing surname and address
        let hh = if rng.gen_bool(0.2) {
            rng.gen_range(2..=4)
        } else {
            1
        };
        let mut surname = zipf_pick(&mut rng, o.surnames).to_string();
        if o.compound && rng.gen_bool(0.35) {
            surname = format!("{} {}", surname, zipf_pick(&mut rng, o.surnames));
        }
        let place = rng.gen_range(0..places.len());
        let base_year = rng.gen_range(1940..2008);
        for _ in 0..hh {
            let female = rng.gen_bool(0.5);
            let first = zipf_pick(&mut rng, if female { o.female } else { o.male }).to_string();
            let mut sn = surname.clone();
            if female && o.female_suffix && !sn.ends_with('a') {
                sn.push('a');
            }
            let y = (base_year + rng.gen_range(-25..25)).clamp(1925, 2010);
            let m = rng.gen_range(1..=12);
            let d = rng.gen_range(1..=days_in(y, m));
            let email = if rng.gen_bool(0.7) {
                let dom = DOMAINS[rng.gen_range(0..DOMAINS.len())];
                // Addresses are (almost) unique per person, as real ones are.
                let sn2 = sn.replace(' ', "");
                let local = match rng.gen_range(0..4) {
                    0 => format!("{first}.{sn2}{}", rng.gen_range(1..9999)),
                    1 => format!("{}{sn2}{}", &first[..1], rng.gen_range(1..99999)),
                    2 => format!("{first}{:02}{}", y % 100, rng.gen_range(100..99999)),
                    _ => format!("{first}_{sn2}{}", rng.gen_range(1..99999)),
                };
                format!("{local}@{dom}")
            } else {
                String::new()
            };
            persons.push(Truth {
                first,
                surname: sn,
                y,
                m,
                d,
                place,
                email,
                origin: oi,
                female,
            });
            if persons.len() == n_persons {
                break;
            }
        }
    }
    let mut rows: Vec<PersonRow> = Vec::with_capacity(n_records);
    let emit = |rng: &mut ChaCha8Rng, t: &Truth, pid: u32, dup: bool| -> PersonRow {
        let mut first = t.first.clone();
        let mut surname = t.surname.clone();
        let (mut y, mut m, mut d) = (t.y, t.m, t.d);
        let mut place = t.place;
        let mut email = t.email.clone();
        let mut dob_missing = false;
        let mut placeholder = false;
        let mut city_missing = false;
        let mut post_missing = false;
        if dup {
            let r = rng.gen::<f64>();
            if r < 0.10 {
                first = typo(rng, &first);
            } else if r < 0.18 {
                first = variant(rng, &first);
            } else if r < 0.20 {
                first = first[..1].to_string();
            } else if r < 0.24 {
                first.clear();
            }
            let r = rng.gen::<f64>();
            if r < 0.10 {
                surname = typo(rng, &surname);
            } else if r < 0.16 {
                surname = variant(rng, &surname);
            } else if r < 0.20 && t.female {
                let o = &ORIGINS[t.origin];
                surname = zipf_pick(rng, o.surnames).to_string();
            } else if r < 0.23 {
                surname.clear();
            } else if surname.contains(' ') && r < 0.40 {
                surname = surname.split(' ').next().unwrap_or("").to_string();
            }
            if rng.gen_bool(0.04) {
                std::mem::swap(&mut first, &mut surname);
            }
            let r = rng.gen::<f64>();
            if r < 0.04 {
                dob_missing = true;
            } else if r < 0.09 {
                // one digit error
                match rng.gen_range(0..3) {
                    0 => {
                        y += if rng.gen_bool(0.5) { 1 } else { -1 }
                            * if rng.gen_bool(0.7) { 1 } else { 10 }
                    }
                    1 => m = if m == 12 { 11 } else { m + 1 },
                    _ => {
                        d = if d >= 28 {
                            d - 1
                        } else {
                            d + if rng.gen_bool(0.5) { 1 } else { 10 }
                        }
                    }
                }
            } else if r < 0.14 && d <= 12 {
                std::mem::swap(&mut m, &mut d);
            } else if r < 0.16 {
                placeholder = true;
            }
            d = d.min(days_in(y, m));
            let r = rng.gen::<f64>();
            if r < 0.15 {
                place = rng.gen_range(0..places.len());
            } else if r < 0.20 {
                city_missing = true;
            } else if r < 0.23 {
                post_missing = true;
            }
            let r = rng.gen::<f64>();
            if r < 0.25 {
                email.clear();
            } else if r < 0.33 && !email.is_empty() {
                let dom = DOMAINS[rng.gen_range(0..DOMAINS.len())];
                email = format!(
                    "{}{}@{}",
                    first.replace(' ', ""),
                    rng.gen_range(1..9999),
                    dom
                );
            } else if r < 0.36 && !email.is_empty() {
                email = typo(rng, &email);
            }
        } else {
            if rng.gen_bool(0.02) {
                dob_missing = true;
            }
            if rng.gen_bool(0.03) {
                city_missing = true;
            }
            if rng.gen_bool(0.02) {
                post_missing = true;
            }
        }
        let dob = if dob_missing {
            String::new()
        } else if placeholder {
            fmt_dob(y, 1, 1)
        } else {
            fmt_dob(y, m, d)
        };
        let pl = &places[place];
        PersonRow {
            unique_id: String::new(),
            first_name: first,
            surname,
            dob,
            city: if city_missing {
                String::new()
            } else {
                pl.city.clone()
            },
            postcode: if post_missing {
                String::new()
            } else {
                pl.postcode.clone()
            },
            email,
            cluster: pid,
        }
    };
    for (pid, t) in persons.iter().enumerate() {
        rows.push(emit(&mut rng, t, pid as u32, false));
    }
    // duplicates: 1 (70%), 2 (20%) or 3 (10%) extra records for randomly chosen persons
    let mut made = 0;
    while made < n_dups_target {
        let pid = rng.gen_range(0..persons.len());
        let k = match rng.gen::<f64>() {
            x if x < 0.7 => 1,
            x if x < 0.9 => 2,
            _ => 3,
        };
        for _ in 0..k.min(n_dups_target - made) {
            let t = persons[pid].clone();
            rows.push(emit(&mut rng, &t, pid as u32, true));
            made += 1;
        }
    }
    rows.shuffle(&mut rng);
    for (i, r) in rows.iter_mut().enumerate() {
        r.unique_id = format!("r{:07}", i + 1);
    }
    rows
}

/// The CSV header of [`PersonRow`]s.
pub const PEOPLE_HEADER: &str = "unique_id,first_name,surname,dob,city,postcode,email,cluster";

impl PersonRow {
    /// One CSV line (values contain no commas or quotes by construction).
    pub fn csv_line(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{}",
            self.unique_id,
            self.first_name,
            self.surname,
            self.dob,
            self.city,
            self.postcode,
            self.email,
            self.cluster
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_shaped() {
        let a = generate_people(2000, 0.1, 7);
        let b = generate_people(2000, 0.1, 7);
        assert_eq!(a, b);
        assert_eq!(a.len(), 2000);
        let persons: std::collections::HashSet<u32> = a.iter().map(|r| r.cluster).collect();
        assert_eq!(persons.len(), 1800);
        assert!(a.iter().all(|r| !r.csv_line().contains('"')));
        assert!(a.iter().all(|r| r.csv_line().split(',').count() == 8));
    }
}
