//! ISO 3166-1 countries: the code type and the normaliser from the many ways sources write a
//! country (alpha-2, alpha-3, English short names, official names, common variants).
//!
//! The table is data: one row per country, `(alpha2, alpha3, names...)`. Lookup folds case,
//! diacritics-free ASCII punctuation and whitespace.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// An ISO 3166-1 alpha-2 code, upper case (`"UZ"`). `"XK"` (Kosovo) is accepted as user-assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

impl Country {
    /// Build from an alpha-2 code already known to be valid (checked against the table).
    pub fn from_alpha2(code: &str) -> Option<Country> {
        row_of_alpha2(code.trim().as_bytes()).map(|i| Country(bytes2(COUNTRIES[i].0)))
    }

    pub fn as_str(&self) -> &str {
        // Constructed only from ASCII table rows.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    pub fn alpha3(&self) -> &'static str {
        row_of_alpha2(&self.0)
            .map(|i| &COUNTRIES[i])
            .map(|r| r.1)
            .unwrap_or("")
    }

    /// English short name from the table.
    pub fn name(&self) -> &'static str {
        row_of_alpha2(&self.0)
            .map(|i| &COUNTRIES[i])
            .map(|r| r.2[0])
            .unwrap_or("")
    }
}

fn bytes2(s: &str) -> [u8; 2] {
    let b = s.as_bytes();
    [b[0], b[1]]
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        normalize_country(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown country {s:?}")))
    }
}

/// Fold a country name for lookup: lower case, common Latin diacritics removed, apostrophes
/// dropped, any other punctuation or whitespace run collapsed to one space.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            'ü' | 'Ü' | 'ú' | 'Ú' | 'ù' | 'û' => 'u',
            'ô' | 'ó' | 'Ô' | 'Ó' | 'ö' | 'Ö' | 'ò' | 'õ' => 'o',
            'é' | 'É' | 'è' | 'ê' | 'ë' => 'e',
            'ç' | 'Ç' => 'c',
            'ã' | 'á' | 'Å' | 'å' | 'à' | 'â' | 'ä' | 'Ä' | 'Á' => 'a',
            'í' | 'î' | 'ï' | 'ì' => 'i',
            'ñ' | 'Ñ' => 'n',
            '’' | '\'' | '`' | '‘' => continue,
            c => c,
        };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// Row of an alpha-2 code (any case), through a 26×26 table built once.
fn row_of_alpha2(code: &[u8]) -> Option<usize> {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    let slot = |a: u8, b: u8| -> Option<usize> {
        let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
        (a.is_ascii_uppercase() && b.is_ascii_uppercase())
            .then(|| (a - b'A') as usize * 26 + (b - b'A') as usize)
    };
    let table = TABLE.get_or_init(|| {
        let mut t = vec![u16::MAX; 26 * 26];
        for (i, row) in COUNTRIES.iter().enumerate() {
            let b = row.0.as_bytes();
            if let Some(k) = slot(b[0], b[1]) {
                t[k] = i as u16;
            }
        }
        t
    });
    match code {
        [a, b] => slot(*a, *b)
            .and_then(|k| table.get(k).copied())
            .filter(|&i| i != u16::MAX)
            .map(usize::from),
        _ => None,
    }
}

/// Folded name → row index, built once.
fn name_index() -> &'static HashMap<String, usize> {
    static INDEX: OnceLock<HashMap<String, usize>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::new();
        for (i, row) in COUNTRIES.iter().enumerate() {
            for n in row.2.iter() {
                m.entry(fold(n)).or_insert(i);
            }
        }
        m
    })
}

/// Map any common way of writing a country to its ISO code: `"UZ"`, `"UZB"`, `"Uzbekistan"`,
/// `"Republic of Uzbekistan"`, `"Iran (Islamic Republic of)"`, `"Turkey"`, `"Türkiye"`,
/// `"Korea, North"`, `"Burma"`, `"The Gambia"`, `"Gambia, The"`.
pub fn normalize_country(input: &str) -> Option<Country> {
    let t = input.trim();
    if t.is_empty() {
        return None;
    }
    if t.len() == 2 && t.is_ascii() {
        if let Some(c) = Country::from_alpha2(t) {
            return Some(c);
        }
    }
    if t.len() == 3 && t.is_ascii() {
        let up = t.to_ascii_uppercase();
        if let Some(row) = COUNTRIES.iter().find(|r| r.1 == up) {
            return Some(Country(bytes2(row.0)));
        }
    }
    let f = fold(t);
    let idx = name_index();
    let hit = idx
        .get(f.as_str())
        .or_else(|| f.strip_prefix("the ").and_then(|g| idx.get(g)))
        .or_else(|| f.strip_suffix(" the").and_then(|g| idx.get(g)));
    hit.map(|&i| Country(bytes2(COUNTRIES[i].0)))
}

/// `(alpha2, alpha3, [english names and variants])`.
pub type CountryRow = (&'static str, &'static str, &'static [&'static str]);

/// ISO 3166-1 (all 249 officially assigned codes, plus `XK` Kosovo as user-assigned). First name
/// of each row is the display name; the others are the variants real sources write (OFAC SDN
/// "Korea, North", "Burma", "Congo, Democratic Republic of the", "West Bank", "Palestinian"; UN
/// "Iran (Islamic Republic of)", "Russian Federation", "Syrian Arab Republic", "Türkiye", ...).
pub static COUNTRIES: &[CountryRow] = &[
    (
        "AF",
        "AFG",
        &[
            "Afghanistan",
            "Islamic Republic of Afghanistan",
            "Islamic Emirate of Afghanistan",
        ],
    ),
    ("AX", "ALA", &["Åland Islands", "Aland", "Aland Islands"]),
    ("AL", "ALB", &["Albania", "Republic of Albania"]),
    (
        "DZ",
        "DZA",
        &["Algeria", "People's Democratic Republic of Algeria"],
    ),
    ("AS", "ASM", &["American Samoa"]),
    ("AD", "AND", &["Andorra"]),
    ("AO", "AGO", &["Angola"]),
    ("AI", "AIA", &["Anguilla"]),
    ("AQ", "ATA", &["Antarctica"]),
    ("AG", "ATG", &["Antigua and Barbuda", "Antigua"]),
    ("AR", "ARG", &["Argentina", "Argentine Republic"]),
    ("AM", "ARM", &["Armenia", "Republic of Armenia"]),
    ("AW", "ABW", &["Aruba"]),
    ("AU", "AUS", &["Australia"]),
    ("AT", "AUT", &["Austria"]),
    ("AZ", "AZE", &["Azerbaijan", "Republic of Azerbaijan"]),
    ("BS", "BHS", &["Bahamas", "Bahamas, The", "The Bahamas"]),
    ("BH", "BHR", &["Bahrain", "Kingdom of Bahrain"]),
    ("BD", "BGD", &["Bangladesh"]),
    ("BB", "BRB", &["Barbados"]),
    (
        "BY",
        "BLR",
        &["Belarus", "Republic of Belarus", "Byelorussia"],
    ),
    ("BE", "BEL", &["Belgium"]),
    ("BZ", "BLZ", &["Belize"]),
    ("BJ", "BEN", &["Benin"]),
    ("BM", "BMU", &["Bermuda"]),
    ("BT", "BTN", &["Bhutan"]),
    (
        "BO",
        "BOL",
        &[
            "Bolivia",
            "Bolivia (Plurinational State of)",
            "Plurinational State of Bolivia",
        ],
    ),
    (
        "BQ",
        "BES",
        &[
            "Bonaire, Sint Eustatius and Saba",
            "Caribbean Netherlands",
            "Bonaire",
        ],
    ),
    (
        "BA",
        "BIH",
        &["Bosnia and Herzegovina", "Bosnia-Herzegovina", "Bosnia"],
    ),
    ("BW", "BWA", &["Botswana"]),
    ("BV", "BVT", &["Bouvet Island"]),
    ("BR", "BRA", &["Brazil", "Federative Republic of Brazil"]),
    ("IO", "IOT", &["British Indian Ocean Territory"]),
    ("BN", "BRN", &["Brunei", "Brunei Darussalam"]),
    ("BG", "BGR", &["Bulgaria"]),
    ("BF", "BFA", &["Burkina Faso"]),
    ("BI", "BDI", &["Burundi"]),
    ("CV", "CPV", &["Cabo Verde", "Cape Verde"]),
    ("KH", "KHM", &["Cambodia"]),
    ("CM", "CMR", &["Cameroon"]),
    ("CA", "CAN", &["Canada"]),
    ("KY", "CYM", &["Cayman Islands"]),
    ("CF", "CAF", &["Central African Republic"]),
    ("TD", "TCD", &["Chad"]),
    ("CL", "CHL", &["Chile"]),
    (
        "CN",
        "CHN",
        &[
            "China",
            "People's Republic of China",
            "PRC",
            "China, People's Republic of",
        ],
    ),
    ("CX", "CXR", &["Christmas Island"]),
    ("CC", "CCK", &["Cocos (Keeling) Islands", "Cocos Islands"]),
    ("CO", "COL", &["Colombia"]),
    ("KM", "COM", &["Comoros"]),
    (
        "CG",
        "COG",
        &[
            "Congo",
            "Republic of the Congo",
            "Congo, Republic of the",
            "Congo-Brazzaville",
            "Congo (Brazzaville)",
        ],
    ),
    (
        "CD",
        "COD",
        &[
            "Democratic Republic of the Congo",
            "Congo, Democratic Republic of the",
            "DR Congo",
            "DRC",
            "Congo-Kinshasa",
            "Congo (Kinshasa)",
            "Zaire",
        ],
    ),
    ("CK", "COK", &["Cook Islands"]),
    ("CR", "CRI", &["Costa Rica"]),
    (
        "CI",
        "CIV",
        &[
            "Côte d'Ivoire",
            "Cote d Ivoire",
            "Cote d'Ivoire",
            "Ivory Coast",
        ],
    ),
    ("HR", "HRV", &["Croatia"]),
    ("CU", "CUB", &["Cuba"]),
    ("CW", "CUW", &["Curaçao", "Curacao"]),
    ("CY", "CYP", &["Cyprus"]),
    ("CZ", "CZE", &["Czechia", "Czech Republic"]),
    ("DK", "DNK", &["Denmark"]),
    ("DJ", "DJI", &["Djibouti"]),
    ("DM", "DMA", &["Dominica"]),
    ("DO", "DOM", &["Dominican Republic"]),
    ("EC", "ECU", &["Ecuador"]),
    ("EG", "EGY", &["Egypt", "Arab Republic of Egypt"]),
    ("SV", "SLV", &["El Salvador"]),
    ("GQ", "GNQ", &["Equatorial Guinea"]),
    ("ER", "ERI", &["Eritrea"]),
    ("EE", "EST", &["Estonia"]),
    ("SZ", "SWZ", &["Eswatini", "Swaziland"]),
    ("ET", "ETH", &["Ethiopia"]),
    (
        "FK",
        "FLK",
        &["Falkland Islands", "Falkland Islands (Malvinas)"],
    ),
    ("FO", "FRO", &["Faroe Islands"]),
    ("FJ", "FJI", &["Fiji"]),
    ("FI", "FIN", &["Finland"]),
    ("FR", "FRA", &["France"]),
    ("GF", "GUF", &["French Guiana"]),
    ("PF", "PYF", &["French Polynesia"]),
    ("TF", "ATF", &["French Southern Territories"]),
    ("GA", "GAB", &["Gabon"]),
    ("GM", "GMB", &["Gambia", "Gambia, The", "The Gambia"]),
    ("GE", "GEO", &["Georgia"]),
    ("DE", "DEU", &["Germany", "Federal Republic of Germany"]),
    ("GH", "GHA", &["Ghana"]),
    ("GI", "GIB", &["Gibraltar"]),
    ("GR", "GRC", &["Greece"]),
    ("GL", "GRL", &["Greenland"]),
    ("GD", "GRD", &["Grenada"]),
    ("GP", "GLP", &["Guadeloupe"]),
    ("GU", "GUM", &["Guam"]),
    ("GT", "GTM", &["Guatemala"]),
    ("GG", "GGY", &["Guernsey"]),
    ("GN", "GIN", &["Guinea"]),
    ("GW", "GNB", &["Guinea-Bissau"]),
    ("GY", "GUY", &["Guyana"]),
    ("HT", "HTI", &["Haiti"]),
    ("HM", "HMD", &["Heard Island and McDonald Islands"]),
    ("VA", "VAT", &["Holy See", "Vatican City", "Vatican"]),
    ("HN", "HND", &["Honduras"]),
    (
        "HK",
        "HKG",
        &[
            "Hong Kong",
            "China, Hong Kong Special Administrative Region",
            "Hong Kong SAR",
            "Hong Kong, China",
        ],
    ),
    ("HU", "HUN", &["Hungary"]),
    ("IS", "ISL", &["Iceland"]),
    ("IN", "IND", &["India"]),
    ("ID", "IDN", &["Indonesia"]),
    (
        "IR",
        "IRN",
        &[
            "Iran",
            "Iran (Islamic Republic of)",
            "Islamic Republic of Iran",
            "Iran, Islamic Republic of",
        ],
    ),
    ("IQ", "IRQ", &["Iraq"]),
    ("IE", "IRL", &["Ireland"]),
    ("IM", "IMN", &["Isle of Man", "Man, Isle of"]),
    ("IL", "ISR", &["Israel"]),
    ("IT", "ITA", &["Italy"]),
    ("JM", "JAM", &["Jamaica"]),
    ("JP", "JPN", &["Japan"]),
    ("JE", "JEY", &["Jersey"]),
    ("JO", "JOR", &["Jordan"]),
    ("KZ", "KAZ", &["Kazakhstan", "Republic of Kazakhstan"]),
    ("KE", "KEN", &["Kenya"]),
    ("KI", "KIR", &["Kiribati"]),
    (
        "KP",
        "PRK",
        &[
            "North Korea",
            "Korea, North",
            "Democratic People's Republic of Korea",
            "Korea, Democratic People's Republic of",
            "DPRK",
            "Korea (Democratic People's Republic of)",
        ],
    ),
    (
        "KR",
        "KOR",
        &[
            "South Korea",
            "Korea, South",
            "Republic of Korea",
            "Korea, Republic of",
            "Korea (Republic of)",
        ],
    ),
    ("KW", "KWT", &["Kuwait"]),
    ("KG", "KGZ", &["Kyrgyzstan", "Kyrgyz Republic"]),
    (
        "LA",
        "LAO",
        &["Laos", "Lao People's Democratic Republic", "Lao PDR"],
    ),
    ("LV", "LVA", &["Latvia"]),
    ("LB", "LBN", &["Lebanon"]),
    ("LS", "LSO", &["Lesotho"]),
    ("LR", "LBR", &["Liberia"]),
    ("LY", "LBY", &["Libya", "Libyan Arab Jamahiriya"]),
    ("LI", "LIE", &["Liechtenstein"]),
    ("LT", "LTU", &["Lithuania"]),
    ("LU", "LUX", &["Luxembourg"]),
    (
        "MO",
        "MAC",
        &[
            "Macao",
            "Macau",
            "China, Macao Special Administrative Region",
        ],
    ),
    ("MG", "MDG", &["Madagascar"]),
    ("MW", "MWI", &["Malawi"]),
    ("MY", "MYS", &["Malaysia"]),
    ("MV", "MDV", &["Maldives"]),
    ("ML", "MLI", &["Mali"]),
    ("MT", "MLT", &["Malta"]),
    ("MH", "MHL", &["Marshall Islands"]),
    ("MQ", "MTQ", &["Martinique"]),
    ("MR", "MRT", &["Mauritania"]),
    ("MU", "MUS", &["Mauritius"]),
    ("YT", "MYT", &["Mayotte"]),
    ("MX", "MEX", &["Mexico", "United Mexican States"]),
    (
        "FM",
        "FSM",
        &[
            "Micronesia",
            "Micronesia, Federated States of",
            "Micronesia (Federated States of)",
            "Federated States of Micronesia",
        ],
    ),
    (
        "MD",
        "MDA",
        &["Moldova", "Republic of Moldova", "Moldova, Republic of"],
    ),
    ("MC", "MCO", &["Monaco"]),
    ("MN", "MNG", &["Mongolia"]),
    ("ME", "MNE", &["Montenegro"]),
    ("MS", "MSR", &["Montserrat"]),
    ("MA", "MAR", &["Morocco"]),
    ("MZ", "MOZ", &["Mozambique"]),
    ("MM", "MMR", &["Myanmar", "Burma"]),
    ("NA", "NAM", &["Namibia"]),
    ("NR", "NRU", &["Nauru"]),
    ("NP", "NPL", &["Nepal"]),
    (
        "NL",
        "NLD",
        &[
            "Netherlands",
            "The Netherlands",
            "Holland",
            "Netherlands (Kingdom of the)",
        ],
    ),
    ("NC", "NCL", &["New Caledonia"]),
    ("NZ", "NZL", &["New Zealand"]),
    ("NI", "NIC", &["Nicaragua"]),
    ("NE", "NER", &["Niger"]),
    ("NG", "NGA", &["Nigeria"]),
    ("NU", "NIU", &["Niue"]),
    ("NF", "NFK", &["Norfolk Island"]),
    (
        "MK",
        "MKD",
        &[
            "North Macedonia",
            "North Macedonia, The Republic of",
            "Republic of North Macedonia",
            "Macedonia",
            "Macedonia, The Former Yugoslav Republic of",
            "The former Yugoslav Republic of Macedonia",
            "FYROM",
        ],
    ),
    ("MP", "MNP", &["Northern Mariana Islands"]),
    ("NO", "NOR", &["Norway"]),
    ("OM", "OMN", &["Oman"]),
    ("PK", "PAK", &["Pakistan", "Islamic Republic of Pakistan"]),
    ("PW", "PLW", &["Palau"]),
    (
        "PS",
        "PSE",
        &[
            "Palestine",
            "State of Palestine",
            "Palestinian",
            "Palestinian Territories",
            "Palestinian Territory",
            "Occupied Palestinian Territory",
            "West Bank",
            "Gaza",
            "Gaza Strip",
            "West Bank and Gaza",
            "Palestine, State of",
        ],
    ),
    ("PA", "PAN", &["Panama"]),
    ("PG", "PNG", &["Papua New Guinea"]),
    ("PY", "PRY", &["Paraguay"]),
    ("PE", "PER", &["Peru"]),
    ("PH", "PHL", &["Philippines"]),
    ("PN", "PCN", &["Pitcairn", "Pitcairn Islands"]),
    ("PL", "POL", &["Poland"]),
    ("PT", "PRT", &["Portugal"]),
    ("PR", "PRI", &["Puerto Rico"]),
    ("QA", "QAT", &["Qatar"]),
    ("RE", "REU", &["Réunion", "Reunion"]),
    ("RO", "ROU", &["Romania"]),
    ("RU", "RUS", &["Russia", "Russian Federation"]),
    ("RW", "RWA", &["Rwanda"]),
    ("BL", "BLM", &["Saint Barthélemy", "Saint Barthelemy"]),
    (
        "SH",
        "SHN",
        &[
            "Saint Helena, Ascension and Tristan da Cunha",
            "Saint Helena",
        ],
    ),
    (
        "KN",
        "KNA",
        &[
            "Saint Kitts and Nevis",
            "St Kitts and Nevis",
            "St. Kitts and Nevis",
        ],
    ),
    ("LC", "LCA", &["Saint Lucia", "St Lucia", "St. Lucia"]),
    ("MF", "MAF", &["Saint Martin", "Saint Martin (French part)"]),
    ("PM", "SPM", &["Saint Pierre and Miquelon"]),
    (
        "VC",
        "VCT",
        &[
            "Saint Vincent and the Grenadines",
            "St Vincent and the Grenadines",
            "St. Vincent and the Grenadines",
        ],
    ),
    ("WS", "WSM", &["Samoa"]),
    ("SM", "SMR", &["San Marino"]),
    (
        "ST",
        "STP",
        &["São Tomé and Príncipe", "Sao Tome and Principe"],
    ),
    ("SA", "SAU", &["Saudi Arabia", "Kingdom of Saudi Arabia"]),
    ("SN", "SEN", &["Senegal"]),
    ("RS", "SRB", &["Serbia", "Republic of Serbia"]),
    ("SC", "SYC", &["Seychelles"]),
    ("SL", "SLE", &["Sierra Leone"]),
    ("SG", "SGP", &["Singapore"]),
    ("SX", "SXM", &["Sint Maarten", "Sint Maarten (Dutch part)"]),
    ("SK", "SVK", &["Slovakia", "Slovak Republic"]),
    ("SI", "SVN", &["Slovenia"]),
    ("SB", "SLB", &["Solomon Islands"]),
    ("SO", "SOM", &["Somalia"]),
    ("ZA", "ZAF", &["South Africa"]),
    (
        "GS",
        "SGS",
        &["South Georgia and the South Sandwich Islands"],
    ),
    ("SS", "SSD", &["South Sudan"]),
    ("ES", "ESP", &["Spain"]),
    ("LK", "LKA", &["Sri Lanka"]),
    ("SD", "SDN", &["Sudan"]),
    ("SR", "SUR", &["Suriname"]),
    ("SJ", "SJM", &["Svalbard and Jan Mayen"]),
    ("SE", "SWE", &["Sweden"]),
    ("CH", "CHE", &["Switzerland"]),
    ("SY", "SYR", &["Syria", "Syrian Arab Republic"]),
    (
        "TW",
        "TWN",
        &[
            "Taiwan",
            "Taiwan, Province of China",
            "Chinese Taipei",
            "Republic of China",
        ],
    ),
    ("TJ", "TJK", &["Tajikistan", "Republic of Tajikistan"]),
    (
        "TZ",
        "TZA",
        &[
            "Tanzania",
            "United Republic of Tanzania",
            "Tanzania, United Republic of",
        ],
    ),
    ("TH", "THA", &["Thailand"]),
    ("TL", "TLS", &["Timor-Leste", "East Timor"]),
    ("TG", "TGO", &["Togo"]),
    ("TK", "TKL", &["Tokelau"]),
    ("TO", "TON", &["Tonga"]),
    ("TT", "TTO", &["Trinidad and Tobago"]),
    ("TN", "TUN", &["Tunisia"]),
    (
        "TR",
        "TUR",
        &["Türkiye", "Turkey", "Republic of Türkiye", "Turkiye"],
    ),
    ("TM", "TKM", &["Turkmenistan"]),
    ("TC", "TCA", &["Turks and Caicos Islands"]),
    ("TV", "TUV", &["Tuvalu"]),
    ("UG", "UGA", &["Uganda"]),
    ("UA", "UKR", &["Ukraine"]),
    ("AE", "ARE", &["United Arab Emirates", "UAE"]),
    (
        "GB",
        "GBR",
        &[
            "United Kingdom",
            "United Kingdom of Great Britain and Northern Ireland",
            "UK",
            "Great Britain",
            "Britain",
        ],
    ),
    (
        "US",
        "USA",
        &[
            "United States",
            "United States of America",
            "USA",
            "U.S.A.",
            "U.S.",
        ],
    ),
    ("UM", "UMI", &["United States Minor Outlying Islands"]),
    ("UY", "URY", &["Uruguay"]),
    ("UZ", "UZB", &["Uzbekistan", "Republic of Uzbekistan"]),
    ("VU", "VUT", &["Vanuatu"]),
    (
        "VE",
        "VEN",
        &[
            "Venezuela",
            "Venezuela (Bolivarian Republic of)",
            "Bolivarian Republic of Venezuela",
        ],
    ),
    (
        "VN",
        "VNM",
        &["Vietnam", "Viet Nam", "Socialist Republic of Vietnam"],
    ),
    (
        "VG",
        "VGB",
        &[
            "British Virgin Islands",
            "Virgin Islands, British",
            "Virgin Islands (British)",
        ],
    ),
    (
        "VI",
        "VIR",
        &[
            "United States Virgin Islands",
            "Virgin Islands, U.S.",
            "Virgin Islands (U.S.)",
            "US Virgin Islands",
        ],
    ),
    ("WF", "WLF", &["Wallis and Futuna"]),
    ("EH", "ESH", &["Western Sahara"]),
    ("YE", "YEM", &["Yemen"]),
    ("ZM", "ZMB", &["Zambia"]),
    ("ZW", "ZWE", &["Zimbabwe"]),
    ("XK", "XKX", &["Kosovo"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_variants() {
        for s in [
            "UZ",
            "uz",
            "UZB",
            "Uzbekistan",
            "Republic of Uzbekistan",
            " uzbekistan ",
        ] {
            assert_eq!(
                normalize_country(s).map(|c| c.to_string()),
                Some("UZ".into()),
                "{s}"
            );
        }
        assert_eq!(normalize_country("Turkey"), normalize_country("Türkiye"));
        assert_eq!(
            normalize_country("Iran (Islamic Republic of)").map(|c| c.to_string()),
            Some("IR".to_string())
        );
        assert!(normalize_country("Atlantis").is_none());
    }

    #[test]
    fn full_iso_table() {
        // 249 officially assigned ISO 3166-1 codes plus XK.
        assert_eq!(COUNTRIES.len(), 250);
        for (a2, a3, names) in COUNTRIES {
            assert_eq!(
                normalize_country(a2).map(|c| c.to_string()),
                Some(a2.to_string())
            );
            assert_eq!(
                normalize_country(a3).map(|c| c.to_string()),
                Some(a2.to_string()),
                "{a3}"
            );
            for n in names.iter() {
                assert_eq!(
                    normalize_country(n).map(|c| c.to_string()),
                    Some(a2.to_string()),
                    "{n}"
                );
            }
        }
    }

    #[test]
    fn code_lookup_any_case() {
        assert_eq!(Country::from_alpha2("uz").map(|c| c.alpha3()), Some("UZB"));
        assert_eq!(Country::from_alpha2("Xk").map(|c| c.name()), Some("Kosovo"));
        for bad in ["", "U", "UZB", "ZZ", "1A", "ÜZ"] {
            assert!(Country::from_alpha2(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn list_variants_resolve() {
        let cases = [
            // OFAC SDN nationality / citizenship / address strings.
            ("Korea, North", "KP"),
            ("Korea, South", "KR"),
            ("Burma", "MM"),
            ("Congo, Democratic Republic of the", "CD"),
            ("Congo, Republic of the", "CG"),
            ("West Bank", "PS"),
            ("Palestinian", "PS"),
            ("Macedonia, The Former Yugoslav Republic of", "MK"),
            ("North Macedonia, The Republic of", "MK"),
            ("The Gambia", "GM"),
            ("Bahamas, The", "BS"),
            ("Cote d Ivoire", "CI"),
            ("Virgin Islands, British", "VG"),
            ("Turkey", "TR"),
            ("Hong Kong", "HK"),
            ("Macau", "MO"),
            ("Laos", "LA"),
            ("Brunei", "BN"),
            ("Kosovo", "XK"),
            // UN consolidated list strings.
            ("Iran (Islamic Republic of)", "IR"),
            ("Russian Federation", "RU"),
            ("Syrian Arab Republic", "SY"),
            ("Türkiye", "TR"),
            ("Democratic People's Republic of Korea", "KP"),
            ("Democratic Republic of the Congo", "CD"),
            ("State of Palestine", "PS"),
            ("United Kingdom of Great Britain and Northern Ireland", "GB"),
            ("United Republic of Tanzania", "TZ"),
            ("Viet Nam", "VN"),
            ("China, Hong Kong Special Administrative Region", "HK"),
            ("British Virgin Islands", "VG"),
            ("Côte d'Ivoire", "CI"),
        ];
        for (s, want) in cases {
            assert_eq!(
                normalize_country(s).map(|c| c.to_string()),
                Some(want.to_string()),
                "{s}"
            );
        }
        assert!(normalize_country("former Soviet Union").is_none());
        assert!(normalize_country("undetermined").is_none());
    }

    #[test]
    fn table_shape() {
        let mut seen2 = std::collections::HashSet::new();
        let mut seen3 = std::collections::HashSet::new();
        for (a2, a3, names) in COUNTRIES {
            assert_eq!(a2.len(), 2);
            assert_eq!(a3.len(), 3);
            assert!(a2.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(seen2.insert(*a2), "duplicate {a2}");
            assert!(seen3.insert(*a3), "duplicate {a3}");
            assert!(!names.is_empty());
        }
    }
}
