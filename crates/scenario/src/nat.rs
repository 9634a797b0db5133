//! The nationality mix of southwest-border encounters in fiscal years 2022–2024 (shares
//! approximated from CBP's published monthly tables), with per-country naming culture,
//! region, telephone numbering, e-mail domains and document formats. Plain data.

use crate::names::Culture;

/// Regions used for routes, sectors and smuggling-network service areas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    Mexico,
    NorthCentralAmerica,
    SouthAmerica,
    Caribbean,
    CentralAsia,
    EasternEurope,
    SouthAsia,
    EastAsia,
    Africa,
}

impl Region {
    pub const ALL: [Region; 9] = [
        Region::Mexico,
        Region::NorthCentralAmerica,
        Region::SouthAmerica,
        Region::Caribbean,
        Region::CentralAsia,
        Region::EasternEurope,
        Region::SouthAsia,
        Region::EastAsia,
        Region::Africa,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Region::Mexico => "Mexico",
            Region::NorthCentralAmerica => "Northern Central America",
            Region::SouthAmerica => "South America",
            Region::Caribbean => "Caribbean & Nicaragua",
            Region::CentralAsia => "Central Asia",
            Region::EasternEurope => "Eastern Europe, Caucasus & Türkiye",
            Region::SouthAsia => "South Asia & Afghanistan",
            Region::EastAsia => "East Asia",
            Region::Africa => "West Africa",
        }
    }
    pub fn index(self) -> usize {
        Region::ALL.iter().position(|&r| r == self).unwrap_or(0)
    }
    /// Relative share of each of the 9 sectors (SDC ELC YUM TCA EPT BBT DRT LRT RGV).
    pub fn sector_weights(self) -> [f64; 9] {
        match self {
            Region::Mexico => [0.13, 0.05, 0.03, 0.20, 0.13, 0.03, 0.12, 0.10, 0.21],
            Region::NorthCentralAmerica => [0.07, 0.04, 0.05, 0.12, 0.12, 0.01, 0.13, 0.06, 0.40],
            Region::SouthAmerica => [0.10, 0.03, 0.14, 0.08, 0.22, 0.02, 0.22, 0.04, 0.15],
            Region::Caribbean => [0.04, 0.02, 0.14, 0.05, 0.10, 0.02, 0.37, 0.06, 0.20],
            Region::CentralAsia | Region::EasternEurope => {
                [0.48, 0.10, 0.10, 0.17, 0.05, 0.01, 0.05, 0.02, 0.02]
            }
            Region::SouthAsia | Region::EastAsia => {
                [0.40, 0.08, 0.15, 0.17, 0.06, 0.01, 0.08, 0.02, 0.03]
            }
            Region::Africa => [0.12, 0.05, 0.22, 0.10, 0.10, 0.01, 0.26, 0.04, 0.10],
        }
    }
    /// Extra-continental regions (air travel, visa-free hubs, organised routes).
    pub fn extra_continental(self) -> bool {
        matches!(
            self,
            Region::CentralAsia
                | Region::EasternEurope
                | Region::SouthAsia
                | Region::EastAsia
                | Region::Africa
        )
    }
}

/// One nationality of the mix.
#[derive(Debug)]
pub struct Nat {
    pub code: &'static str,
    pub culture: Culture,
    pub region: Region,
    /// Share of first-time arrivals over the 3 years, in percent (Mexico is lower than its
    /// 37% share of encounters because Mexicans re-cross far more often; see `repeat`).
    pub share: f64,
    /// Relative share in year 1, 2, 3 (multipliers, averaged ≈ 1).
    pub trend: [f64; 3],
    /// Country calling code and number of national digits; first digit of mobile numbers.
    pub phone: (&'static str, usize, &'static str),
    pub email: &'static [&'static str],
    /// Passport number: letters prefix count, digits.
    pub passport: (&'static str, usize),
    /// Share of persons carrying a passport.
    pub passport_rate: f64,
    /// Relative propensity to re-cross after removal/expulsion.
    pub repeat: f64,
}

const GMAIL: &[&str] = &["gmail.com", "hotmail.com", "yahoo.com", "outlook.com"];
const RU_MAIL: &[&str] = &["mail.ru", "gmail.com", "yandex.ru", "inbox.ru", "bk.ru"];

pub const NATS: &[Nat] = &[
    Nat {
        code: "MX",
        culture: Culture::Mexican,
        region: Region::Mexico,
        share: 27.5,
        trend: [0.95, 0.85, 1.25],
        phone: ("52", 10, "5"),
        email: GMAIL,
        passport: ("G", 8),
        passport_rate: 0.35,
        repeat: 1.0,
    },
    Nat {
        code: "GT",
        culture: Culture::Mexican,
        region: Region::NorthCentralAmerica,
        share: 7.2,
        trend: [1.3, 0.9, 0.8],
        phone: ("502", 8, "5"),
        email: GMAIL,
        passport: ("", 9),
        passport_rate: 0.35,
        repeat: 0.6,
    },
    Nat {
        code: "HN",
        culture: Culture::Mexican,
        region: Region::NorthCentralAmerica,
        share: 6.4,
        trend: [1.3, 0.9, 0.8],
        phone: ("504", 8, "9"),
        email: GMAIL,
        passport: ("F", 6),
        passport_rate: 0.3,
        repeat: 0.6,
    },
    Nat {
        code: "SV",
        culture: Culture::Mexican,
        region: Region::NorthCentralAmerica,
        share: 2.3,
        trend: [1.3, 0.9, 0.8],
        phone: ("503", 8, "7"),
        email: GMAIL,
        passport: ("A", 8),
        passport_rate: 0.4,
        repeat: 0.5,
    },
    Nat {
        code: "VE",
        culture: Culture::Andean,
        region: Region::SouthAmerica,
        share: 8.5,
        trend: [0.8, 1.4, 0.8],
        phone: ("58", 10, "4"),
        email: GMAIL,
        passport: ("", 9),
        passport_rate: 0.5,
        repeat: 0.3,
    },
    Nat {
        code: "CU",
        culture: Culture::Spanish,
        region: Region::Caribbean,
        share: 5.5,
        trend: [1.6, 1.0, 0.4],
        phone: ("53", 8, "5"),
        email: GMAIL,
        passport: ("K", 6),
        passport_rate: 0.8,
        repeat: 0.1,
    },
    Nat {
        code: "CO",
        culture: Culture::Andean,
        region: Region::SouthAmerica,
        share: 4.5,
        trend: [1.1, 1.3, 0.6],
        phone: ("57", 10, "3"),
        email: GMAIL,
        passport: ("AV", 6),
        passport_rate: 0.8,
        repeat: 0.2,
    },
    Nat {
        code: "EC",
        culture: Culture::Andean,
        region: Region::SouthAmerica,
        share: 4.0,
        trend: [0.6, 1.0, 1.4],
        phone: ("593", 9, "9"),
        email: GMAIL,
        passport: ("A", 7),
        passport_rate: 0.5,
        repeat: 0.3,
    },
    Nat {
        code: "NI",
        culture: Culture::Mexican,
        region: Region::Caribbean,
        share: 4.0,
        trend: [1.6, 1.1, 0.3],
        phone: ("505", 8, "8"),
        email: GMAIL,
        passport: ("C", 8),
        passport_rate: 0.6,
        repeat: 0.2,
    },
    Nat {
        code: "PE",
        culture: Culture::Andean,
        region: Region::SouthAmerica,
        share: 2.0,
        trend: [0.5, 1.6, 0.9],
        phone: ("51", 9, "9"),
        email: GMAIL,
        passport: ("", 9),
        passport_rate: 0.7,
        repeat: 0.2,
    },
    Nat {
        code: "HT",
        culture: Culture::Haitian,
        region: Region::Caribbean,
        share: 2.0,
        trend: [1.4, 1.0, 0.6],
        phone: ("509", 8, "3"),
        email: GMAIL,
        passport: ("R", 8),
        passport_rate: 0.6,
        repeat: 0.1,
    },
    Nat {
        code: "DO",
        culture: Culture::Spanish,
        region: Region::Caribbean,
        share: 0.6,
        trend: [0.8, 1.2, 1.0],
        phone: ("1809", 7, "2"),
        email: GMAIL,
        passport: ("RD", 7),
        passport_rate: 0.8,
        repeat: 0.2,
    },
    Nat {
        code: "BR",
        culture: Culture::Brazilian,
        region: Region::SouthAmerica,
        share: 1.0,
        trend: [1.5, 0.9, 0.6],
        phone: ("55", 11, "1"),
        email: GMAIL,
        passport: ("FZ", 6),
        passport_rate: 0.9,
        repeat: 0.1,
    },
    Nat {
        code: "IN",
        culture: Culture::Indian,
        region: Region::SouthAsia,
        share: 1.6,
        trend: [0.6, 1.2, 1.2],
        phone: ("91", 10, "9"),
        email: GMAIL,
        passport: ("Z", 7),
        passport_rate: 0.9,
        repeat: 0.1,
    },
    Nat {
        code: "CN",
        culture: Culture::Chinese,
        region: Region::EastAsia,
        share: 1.3,
        trend: [0.1, 0.8, 2.1],
        phone: ("86", 11, "1"),
        email: &["qq.com", "163.com", "126.com", "gmail.com"],
        passport: ("E", 8),
        passport_rate: 0.95,
        repeat: 0.05,
    },
    Nat {
        code: "TR",
        culture: Culture::Turkish,
        region: Region::EasternEurope,
        share: 0.8,
        trend: [0.7, 1.6, 0.7],
        phone: ("90", 10, "5"),
        email: &["gmail.com", "hotmail.com", "yandex.com.tr"],
        passport: ("U", 8),
        passport_rate: 0.95,
        repeat: 0.05,
    },
    Nat {
        code: "RU",
        culture: Culture::Russian,
        region: Region::EasternEurope,
        share: 0.8,
        trend: [0.9, 1.7, 0.4],
        phone: ("7", 10, "9"),
        email: RU_MAIL,
        passport: ("", 9),
        passport_rate: 0.95,
        repeat: 0.05,
    },
    Nat {
        code: "GE",
        culture: Culture::Georgian,
        region: Region::EasternEurope,
        share: 0.35,
        trend: [0.6, 1.5, 0.9],
        phone: ("995", 9, "5"),
        email: GMAIL,
        passport: ("", 9),
        passport_rate: 0.95,
        repeat: 0.05,
    },
    Nat {
        code: "MD",
        culture: Culture::Moldovan,
        region: Region::EasternEurope,
        share: 0.15,
        trend: [0.6, 1.3, 1.1],
        phone: ("373", 8, "6"),
        email: GMAIL,
        passport: ("B", 8),
        passport_rate: 0.95,
        repeat: 0.05,
    },
    Nat {
        code: "UZ",
        culture: Culture::Uzbek,
        region: Region::CentralAsia,
        share: 0.45,
        trend: [0.5, 1.2, 1.3],
        phone: ("998", 9, "9"),
        email: RU_MAIL,
        passport: ("FA", 7),
        passport_rate: 0.95,
        repeat: 0.05,
    },
    Nat {
        code: "TJ",
        culture: Culture::Tajik,
        region: Region::CentralAsia,
        share: 0.12,
        trend: [0.5, 1.2, 1.3],
        phone: ("992", 9, "9"),
        email: RU_MAIL,
        passport: ("", 9),
        passport_rate: 0.95,
        repeat: 0.05,
    },
    Nat {
        code: "KG",
        culture: Culture::Kyrgyz,
        region: Region::CentralAsia,
        share: 0.12,
        trend: [0.5, 1.2, 1.3],
        phone: ("996", 9, "5"),
        email: RU_MAIL,
        passport: ("AC", 7),
        passport_rate: 0.95,
        repeat: 0.05,
    },
    Nat {
        code: "KZ",
        culture: Culture::Kazakh,
        region: Region::CentralAsia,
        share: 0.10,
        trend: [0.5, 1.3, 1.2],
        phone: ("7", 10, "7"),
        email: RU_MAIL,
        passport: ("N", 8),
        passport_rate: 0.95,
        repeat: 0.05,
    },
    Nat {
        code: "AF",
        culture: Culture::Afghan,
        region: Region::SouthAsia,
        share: 0.12,
        trend: [0.7, 1.0, 1.3],
        phone: ("93", 9, "7"),
        email: GMAIL,
        passport: ("P", 8),
        passport_rate: 0.7,
        repeat: 0.05,
    },
    Nat {
        code: "MR",
        culture: Culture::Mauritanian,
        region: Region::Africa,
        share: 0.35,
        trend: [0.1, 1.5, 1.4],
        phone: ("222", 8, "4"),
        email: GMAIL,
        passport: ("B", 8),
        passport_rate: 0.9,
        repeat: 0.05,
    },
    Nat {
        code: "SN",
        culture: Culture::Senegalese,
        region: Region::Africa,
        share: 0.45,
        trend: [0.2, 1.3, 1.5],
        phone: ("221", 9, "7"),
        email: GMAIL,
        passport: ("A", 8),
        passport_rate: 0.9,
        repeat: 0.05,
    },
];

/// Central Asian nationalities of the planted surge, with their shares within the surge.
pub const SURGE_MIX: [(&str, f64); 4] = [("UZ", 0.50), ("TJ", 0.20), ("KG", 0.20), ("KZ", 0.10)];

/// Nationalities of the network of concern, with shares.
pub const CONCERN_MIX: [(&str, f64); 8] = [
    ("UZ", 0.40),
    ("TJ", 0.18),
    ("KG", 0.14),
    ("KZ", 0.06),
    ("RU", 0.06),
    ("TR", 0.06),
    ("AF", 0.05),
    ("GE", 0.05),
];

pub fn nat(code: &str) -> &'static Nat {
    NATS.iter().find(|n| n.code == code).unwrap_or(&NATS[0])
}

pub fn nat_index(code: &str) -> usize {
    NATS.iter().position(|n| n.code == code).unwrap_or(0)
}

/// Typical places of birth per nationality (as recorded, in English).
pub fn birth_places(code: &str) -> &'static [&'static str] {
    match code {
        "MX" => &[
            "Mexico City",
            "Guadalajara",
            "Morelia",
            "Puebla",
            "Oaxaca",
            "Acapulco",
            "Chihuahua",
            "Zacatecas",
        ],
        "GT" => &[
            "Guatemala City",
            "Huehuetenango",
            "Quetzaltenango",
            "San Marcos",
            "Escuintla",
        ],
        "HN" => &[
            "Tegucigalpa",
            "San Pedro Sula",
            "La Ceiba",
            "Choluteca",
            "Olancho",
        ],
        "SV" => &["San Salvador", "San Miguel", "Santa Ana", "Usulután"],
        "VE" => &[
            "Caracas",
            "Maracaibo",
            "Valencia",
            "Barquisimeto",
            "Maracay",
        ],
        "CU" => &[
            "Havana",
            "Santiago de Cuba",
            "Camagüey",
            "Holguín",
            "Matanzas",
        ],
        "CO" => &["Bogotá", "Medellín", "Cali", "Barranquilla", "Pereira"],
        "EC" => &["Quito", "Guayaquil", "Cuenca", "Azogues", "Machala"],
        "NI" => &["Managua", "León", "Masaya", "Estelí", "Chinandega"],
        "PE" => &["Lima", "Arequipa", "Trujillo", "Chiclayo", "Piura"],
        "HT" => &[
            "Port-au-Prince",
            "Cap-Haïtien",
            "Gonaïves",
            "Les Cayes",
            "Jacmel",
        ],
        "DO" => &[
            "Santo Domingo",
            "Santiago de los Caballeros",
            "San Cristóbal",
        ],
        "BR" => &[
            "São Paulo",
            "Rio de Janeiro",
            "Governador Valadares",
            "Belo Horizonte",
        ],
        "IN" => &[
            "Ahmedabad",
            "Mehsana",
            "Amritsar",
            "Jalandhar",
            "Ludhiana",
            "Delhi",
        ],
        "CN" => &[
            "Wenzhou", "Fuzhou", "Chengdu", "Beijing", "Shanghai", "Changsha",
        ],
        "TR" => &[
            "Istanbul", "Ankara", "Konya", "Kayseri", "Yozgat", "Aksaray",
        ],
        "RU" => &[
            "Moscow",
            "Saint Petersburg",
            "Makhachkala",
            "Grozny",
            "Kazan",
            "Novosibirsk",
        ],
        "GE" => &["Tbilisi", "Kutaisi", "Batumi", "Rustavi", "Zugdidi"],
        "MD" => &["Chișinău", "Bălți", "Cahul", "Orhei"],
        "UZ" => &[
            "Tashkent",
            "Samarkand",
            "Andijan",
            "Namangan",
            "Fergana",
            "Bukhara",
            "Qarshi",
        ],
        "TJ" => &["Dushanbe", "Khujand", "Kulob", "Bokhtar", "Istaravshan"],
        "KG" => &["Bishkek", "Osh", "Jalal-Abad", "Karakol", "Naryn"],
        "KZ" => &["Almaty", "Shymkent", "Astana", "Taraz", "Turkestan"],
        "AF" => &[
            "Kabul",
            "Herat",
            "Kandahar",
            "Mazar-i-Sharif",
            "Jalalabad",
            "Ghazni",
        ],
        "MR" => &["Nouakchott", "Nouadhibou", "Kiffa", "Rosso", "Kaédi"],
        "SN" => &["Dakar", "Touba", "Thiès", "Kaolack", "Saint-Louis"],
        _ => &[],
    }
}
