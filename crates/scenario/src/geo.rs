//! Places of the scenario: the nine southwest Border Patrol sectors and major ports of entry
//! (with lat/lon), US destination cities in all 50 states, immigration courts, and the
//! transit cities of the routes. Plain data; knows nothing of persons.

use linkwatch_model::{Place, PlaceKind};

/// A place where encounters happen. Weights are relative shares of SW border encounters.
pub struct Site {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: PlaceKind,
    pub lat: f64,
    pub lon: f64,
}

pub const SECTORS: [Site; 9] = [
    Site {
        code: "SDC",
        name: "San Diego Sector",
        kind: PlaceKind::BorderSector,
        lat: 32.6155,
        lon: -116.6466,
    },
    Site {
        code: "ELC",
        name: "El Centro Sector",
        kind: PlaceKind::BorderSector,
        lat: 32.7920,
        lon: -115.5631,
    },
    Site {
        code: "YUM",
        name: "Yuma Sector",
        kind: PlaceKind::BorderSector,
        lat: 32.6927,
        lon: -114.6277,
    },
    Site {
        code: "TCA",
        name: "Tucson Sector",
        kind: PlaceKind::BorderSector,
        lat: 31.8600,
        lon: -111.3000,
    },
    Site {
        code: "EPT",
        name: "El Paso Sector",
        kind: PlaceKind::BorderSector,
        lat: 31.7619,
        lon: -106.4850,
    },
    Site {
        code: "BBT",
        name: "Big Bend Sector",
        kind: PlaceKind::BorderSector,
        lat: 29.8000,
        lon: -103.6000,
    },
    Site {
        code: "DRT",
        name: "Del Rio Sector",
        kind: PlaceKind::BorderSector,
        lat: 29.3709,
        lon: -100.8959,
    },
    Site {
        code: "LRT",
        name: "Laredo Sector",
        kind: PlaceKind::BorderSector,
        lat: 27.5306,
        lon: -99.4803,
    },
    Site {
        code: "RGV",
        name: "Rio Grande Valley Sector",
        kind: PlaceKind::BorderSector,
        lat: 26.2034,
        lon: -98.2300,
    },
];

/// Ports of entry, each with the index of the sector it lies in.
pub const PORTS: [(Site, usize); 14] = [
    (
        Site {
            code: "POE-SYS",
            name: "San Ysidro Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 32.5422,
            lon: -117.0297,
        },
        0,
    ),
    (
        Site {
            code: "POE-OTM",
            name: "Otay Mesa Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 32.5519,
            lon: -116.9385,
        },
        0,
    ),
    (
        Site {
            code: "POE-CXW",
            name: "Calexico West Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 32.6649,
            lon: -115.4989,
        },
        1,
    ),
    (
        Site {
            code: "POE-SLU",
            name: "San Luis Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 32.4869,
            lon: -114.7822,
        },
        2,
    ),
    (
        Site {
            code: "POE-NOG",
            name: "Nogales (DeConcini) Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 31.3327,
            lon: -110.9420,
        },
        3,
    ),
    (
        Site {
            code: "POE-LUK",
            name: "Lukeville Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 31.8804,
            lon: -112.8163,
        },
        3,
    ),
    (
        Site {
            code: "POE-PDN",
            name: "El Paso (Paso del Norte) Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 31.7525,
            lon: -106.4869,
        },
        4,
    ),
    (
        Site {
            code: "POE-YSL",
            name: "Ysleta Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 31.6736,
            lon: -106.3340,
        },
        4,
    ),
    (
        Site {
            code: "POE-PRE",
            name: "Presidio Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 29.5604,
            lon: -104.3721,
        },
        5,
    ),
    (
        Site {
            code: "POE-DRO",
            name: "Del Rio Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 29.3274,
            lon: -100.9283,
        },
        6,
    ),
    (
        Site {
            code: "POE-EGP",
            name: "Eagle Pass Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 28.7063,
            lon: -100.5105,
        },
        6,
    ),
    (
        Site {
            code: "POE-LAR",
            name: "Laredo (Gateway to the Americas) Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 27.4994,
            lon: -99.5075,
        },
        7,
    ),
    (
        Site {
            code: "POE-HID",
            name: "Hidalgo Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 26.0958,
            lon: -98.2713,
        },
        8,
    ),
    (
        Site {
            code: "POE-BRO",
            name: "Brownsville (Gateway) Port of Entry",
            kind: PlaceKind::PortOfEntry,
            lat: 25.9018,
            lon: -97.4975,
        },
        8,
    ),
];

impl Site {
    pub fn place(&self) -> Place {
        Place {
            kind: self.kind,
            code: self.code.to_string(),
            name: self.name.to_string(),
            lat: self.lat,
            lon: self.lon,
        }
    }
}

/// Destination cities: (USPS state, city, ZIP prefix, relative weight of declared destinations).
pub const US_CITIES: &[(&str, &str, &str, u32)] = &[
    ("AL", "Birmingham", "352", 3),
    ("AK", "Anchorage", "995", 1),
    ("AZ", "Phoenix", "850", 20),
    ("AZ", "Tucson", "857", 6),
    ("AR", "Little Rock", "722", 2),
    ("CA", "Los Angeles", "900", 40),
    ("CA", "San Diego", "921", 15),
    ("CA", "Sacramento", "958", 10),
    ("CA", "San Francisco", "941", 8),
    ("CO", "Denver", "802", 15),
    ("CT", "Hartford", "061", 4),
    ("DE", "Wilmington", "198", 2),
    ("FL", "Miami", "331", 30),
    ("FL", "Orlando", "328", 12),
    ("FL", "Tampa", "336", 8),
    ("GA", "Atlanta", "303", 12),
    ("HI", "Honolulu", "968", 1),
    ("ID", "Boise", "837", 2),
    ("IL", "Chicago", "606", 25),
    ("IN", "Indianapolis", "462", 5),
    ("IA", "Des Moines", "503", 2),
    ("KS", "Wichita", "672", 2),
    ("KY", "Louisville", "402", 3),
    ("LA", "New Orleans", "701", 4),
    ("ME", "Portland", "041", 1),
    ("MD", "Baltimore", "212", 6),
    ("MA", "Boston", "021", 10),
    ("MI", "Detroit", "482", 4),
    ("MN", "Minneapolis", "554", 4),
    ("MS", "Jackson", "392", 1),
    ("MO", "Kansas City", "641", 3),
    ("MT", "Billings", "591", 1),
    ("NE", "Omaha", "681", 2),
    ("NV", "Las Vegas", "891", 6),
    ("NH", "Manchester", "031", 1),
    ("NJ", "Newark", "071", 12),
    ("NJ", "Elizabeth", "072", 5),
    ("NM", "Albuquerque", "871", 3),
    ("NY", "New York", "100", 45),
    ("NY", "Brooklyn", "112", 20),
    ("NC", "Charlotte", "282", 7),
    ("ND", "Fargo", "581", 1),
    ("OH", "Columbus", "432", 5),
    ("OK", "Oklahoma City", "731", 3),
    ("OR", "Portland", "972", 4),
    ("PA", "Philadelphia", "191", 8),
    ("RI", "Providence", "029", 2),
    ("SC", "Columbia", "292", 2),
    ("SD", "Sioux Falls", "571", 1),
    ("TN", "Nashville", "372", 5),
    ("TX", "Houston", "770", 35),
    ("TX", "Dallas", "752", 20),
    ("TX", "San Antonio", "782", 12),
    ("UT", "Salt Lake City", "841", 3),
    ("VT", "Burlington", "054", 1),
    ("VA", "Arlington", "222", 6),
    ("WA", "Seattle", "981", 8),
    ("WV", "Charleston", "253", 1),
    ("WI", "Milwaukee", "532", 3),
    ("WY", "Cheyenne", "820", 1),
];

pub const STREETS: &[&str] = &[
    "Main St",
    "Oak Ave",
    "Maple St",
    "Cedar Ln",
    "Pine St",
    "Elm St",
    "Washington Ave",
    "Lake Dr",
    "Hillside Rd",
    "Park Ave",
    "Sunset Blvd",
    "River Rd",
    "Broadway",
    "Church St",
    "Mill Rd",
    "Lincoln Ave",
    "Jackson St",
    "Franklin St",
    "Highland Ave",
    "Grand Ave",
    "Center St",
    "Spring St",
    "Walnut St",
    "Chestnut St",
    "Madison Ave",
    "Jefferson St",
    "Union St",
    "Valley Rd",
    "Forest Ave",
    "Meadow Ln",
];

/// Immigration courts by state (court addresses for notices to appear).
pub fn court_city(state: &str) -> &'static str {
    match state {
        "CA" => "Los Angeles",
        "NY" => "New York",
        "TX" => "Houston",
        "FL" => "Miami",
        "IL" => "Chicago",
        "NJ" => "Newark",
        "GA" => "Atlanta",
        "CO" => "Denver",
        "AZ" => "Phoenix",
        "WA" => "Seattle",
        "MA" => "Boston",
        "PA" => "Philadelphia",
        "NV" => "Las Vegas",
        "UT" => "Salt Lake City",
        "MD" => "Baltimore",
        "VA" => "Annandale",
        "NC" => "Charlotte",
        "OH" => "Cleveland",
        "MI" => "Detroit",
        "MN" => "Fort Snelling",
        "TN" => "Memphis",
        "LA" => "New Orleans",
        "OR" => "Portland",
        "MO" => "Kansas City",
        "CT" => "Hartford",
        "NM" => "Albuquerque",
        "HI" => "Honolulu",
        "NE" => "Omaha",
        _ => "Chicago",
    }
}

/// A transit city: (name, ISO country).
pub type Stop = (&'static str, &'static str);

pub const ROUTE_CENTRAL_ASIA_DUBAI: &[Stop] = &[
    ("Samarkand", "UZ"),
    ("Istanbul", "TR"),
    ("Dubai", "AE"),
    ("Mexico City", "MX"),
    ("Tapachula", "MX"),
    ("Mexicali", "MX"),
];
pub const ROUTE_CENTRAL_ASIA_MADRID: &[Stop] = &[
    ("Tashkent", "UZ"),
    ("Istanbul", "TR"),
    ("Madrid", "ES"),
    ("Mexico City", "MX"),
    ("Tijuana", "MX"),
];
pub const ROUTE_CENTRAL_ASIA_MOSCOW: &[Stop] = &[
    ("Dushanbe", "TJ"),
    ("Moscow", "RU"),
    ("Istanbul", "TR"),
    ("Cancún", "MX"),
    ("Mexico City", "MX"),
    ("Tijuana", "MX"),
];
pub const ROUTE_CAUCASUS: &[Stop] = &[
    ("Tbilisi", "GE"),
    ("Istanbul", "TR"),
    ("Madrid", "ES"),
    ("Cancún", "MX"),
    ("Tijuana", "MX"),
];
pub const ROUTE_SOUTH_ASIA: &[Stop] = &[
    ("Delhi", "IN"),
    ("Dubai", "AE"),
    ("Istanbul", "TR"),
    ("São Paulo", "BR"),
    ("Quito", "EC"),
    ("Necoclí", "CO"),
    ("Panama City", "PA"),
    ("Managua", "NI"),
    ("Tapachula", "MX"),
    ("Mexicali", "MX"),
];
pub const ROUTE_AFRICA: &[Stop] = &[
    ("Nouakchott", "MR"),
    ("Istanbul", "TR"),
    ("Bogotá", "CO"),
    ("San Salvador", "SV"),
    ("Managua", "NI"),
    ("Tapachula", "MX"),
    ("Ciudad Juárez", "MX"),
];
pub const ROUTE_CHINA: &[Stop] = &[
    ("Shanghai", "CN"),
    ("Istanbul", "TR"),
    ("Quito", "EC"),
    ("Necoclí", "CO"),
    ("Panama City", "PA"),
    ("San José", "CR"),
    ("Tapachula", "MX"),
    ("Tijuana", "MX"),
];
pub const ROUTE_SOUTH_AMERICA: &[Stop] = &[
    ("Caracas", "VE"),
    ("Bogotá", "CO"),
    ("Necoclí", "CO"),
    ("Panama City", "PA"),
    ("San José", "CR"),
    ("Managua", "NI"),
    ("Tegucigalpa", "HN"),
    ("Guatemala City", "GT"),
    ("Tapachula", "MX"),
    ("Ciudad Juárez", "MX"),
];
pub const ROUTE_CENTRAL_AMERICA: &[Stop] = &[
    ("Tegucigalpa", "HN"),
    ("Guatemala City", "GT"),
    ("Tapachula", "MX"),
    ("Reynosa", "MX"),
];
pub const ROUTE_CARIBBEAN: &[Stop] = &[
    ("Havana", "CU"),
    ("Managua", "NI"),
    ("Tegucigalpa", "HN"),
    ("Tapachula", "MX"),
    ("Piedras Negras", "MX"),
];
pub const ROUTE_MEXICO: &[Stop] = &[("Morelia", "MX"), ("Ciudad Juárez", "MX")];
