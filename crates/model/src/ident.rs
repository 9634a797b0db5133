//! Identifier normalisation: phones to E.164, document numbers without separators, e-mails.
//!
//! Normalisation happens once, on entry, so that every later stage compares like with like.
//! Each function returns `None` (or an error) instead of guessing when the input is unusable.

use serde::{Deserialize, Serialize};

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentError {
    #[error("phone {0:?} has no usable digits")]
    PhoneNoDigits(String),
    #[error("phone {0:?} has {1} digits; E.164 allows 8 to 15 with country code")]
    PhoneLength(String, usize),
    #[error("e-mail {0:?} is not of the form local@domain")]
    Email(String),
    #[error("document number {0:?} has no letters or digits")]
    Document(String),
}

/// International dialling codes for countries whose numbers are written without `+` in our
/// sources; used to complete national numbers. Longest-prefix tables are not needed for this.
fn calling_code(country: &str) -> Option<&'static str> {
    Some(match country {
        "US" | "CA" => "1",
        "MX" => "52",
        "GT" => "502",
        "HN" => "504",
        "SV" => "503",
        "NI" => "505",
        "CO" => "57",
        "EC" => "593",
        "PE" => "51",
        "VE" => "58",
        "CU" => "53",
        "HT" => "509",
        "CN" => "86",
        "IN" => "91",
        "TR" => "90",
        "RU" | "KZ" => "7",
        "UZ" => "998",
        "TJ" => "992",
        "KG" => "996",
        "GE" => "995",
        "MD" => "373",
        "AF" => "93",
        "MR" => "222",
        "SN" => "221",
        "AE" => "971",
        "ES" => "34",
        "BR" => "55",
        "PK" => "92",
        "IR" => "98",
        _ => return None,
    })
}

/// Normalise a phone number to E.164 (`+998901234567`).
///
/// `+`/`00` prefixes are international; otherwise `default_country` (ISO alpha-2) supplies the
/// calling code, dropping one national trunk `0` (or `8` for RU/KZ).
pub fn normalize_phone(input: &str, default_country: Option<&str>) -> Result<String, IdentError> {
    let t = input.trim();
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return Err(IdentError::PhoneNoDigits(input.to_string()));
    }
    let international = t.starts_with('+');
    let full = if international {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if let Some(cc) = default_country.and_then(calling_code) {
        let national = match default_country {
            Some("RU") | Some("KZ") if digits.len() == 11 && digits.starts_with('8') => {
                &digits[1..]
            }
            _ => digits.strip_prefix('0').unwrap_or(&digits),
        };
        if national.starts_with(cc) && national.len() > 10 {
            national.to_string()
        } else {
            format!("{cc}{national}")
        }
    } else {
        digits
    };
    if !(8..=15).contains(&full.len()) {
        return Err(IdentError::PhoneLength(input.to_string(), full.len()));
    }
    Ok(format!("+{full}"))
}

/// Lower-case, trimmed e-mail; the local part keeps dots (providers differ on their meaning).
pub fn normalize_email(input: &str) -> Result<String, IdentError> {
    let t = input.trim().to_lowercase();
    let (local, domain) = t
        .split_once('@')
        .ok_or_else(|| IdentError::Email(input.to_string()))?;
    if local.is_empty() || !domain.contains('.') || domain.contains('@') || t.contains(' ') {
        return Err(IdentError::Email(input.to_string()));
    }
    Ok(t)
}

/// Document number without spaces, dashes, dots or slashes, upper case (`"AB 12-345"` → `"AB12345"`).
pub fn normalize_document_number(input: &str) -> Result<String, IdentError> {
    let out: String = input
        .chars()
        .flat_map(|c| c.to_uppercase())
        .filter(|c| c.is_alphanumeric())
        .collect();
    if out.is_empty() {
        return Err(IdentError::Document(input.to_string()));
    }
    Ok(out)
}

/// Kinds of identity documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Passport,
    NationalId,
    BirthCertificate,
    DriverLicense,
    ResidencePermit,
    VisaNumber,
    AlienNumber,
    TaxId,
    Other,
}

impl DocumentKind {
    /// Classify the free text lists use ("Passport", "National ID No.", "Cedula No.", ...).
    pub fn classify(text: &str) -> DocumentKind {
        let l = text.to_ascii_lowercase();
        if l.contains("passport") {
            DocumentKind::Passport
        } else if l.contains("national") || l.contains("identi") || l.contains("cedula") {
            DocumentKind::NationalId
        } else if l.contains("birth") {
            DocumentKind::BirthCertificate
        } else if l.contains("driver") || l.contains("licen") {
            DocumentKind::DriverLicense
        } else if l.contains("residen") {
            DocumentKind::ResidencePermit
        } else if l.contains("visa") {
            DocumentKind::VisaNumber
        } else if l.contains("alien") || l.contains("a-number") {
            DocumentKind::AlienNumber
        } else if l.contains("tax") || l.contains("rfc") || l.contains("nit") {
            DocumentKind::TaxId
        } else {
            DocumentKind::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(
            normalize_phone("+998 90 123-45-67", None).unwrap(),
            "+998901234567"
        );
        assert_eq!(
            normalize_phone("00998901234567", None).unwrap(),
            "+998901234567"
        );
        assert_eq!(
            normalize_phone("90 123 45 67", Some("UZ")).unwrap(),
            "+998901234567"
        );
        assert_eq!(
            normalize_phone("8 (916) 123-45-67", Some("RU")).unwrap(),
            "+79161234567"
        );
        assert_eq!(
            normalize_phone("(415) 555-0100", Some("US")).unwrap(),
            "+14155550100"
        );
        assert!(normalize_phone("call me", None).is_err());
        assert!(normalize_phone("12", Some("US")).is_err());
    }

    #[test]
    fn documents_and_email() {
        assert_eq!(
            normalize_document_number("ab 12-345.6").unwrap(),
            "AB123456"
        );
        assert!(normalize_document_number(" -- ").is_err());
        assert_eq!(normalize_email(" A.B@Mail.RU ").unwrap(), "a.b@mail.ru");
        assert!(normalize_email("no-at.example").is_err());
        assert_eq!(
            DocumentKind::classify("Passport No."),
            DocumentKind::Passport
        );
        assert_eq!(
            DocumentKind::classify("Cedula No."),
            DocumentKind::NationalId
        );
    }

    proptest::proptest! {
        #[test]
        fn phone_normalization_is_idempotent(s in "\\+?[0-9 ()-]{0,20}") {
            if let Ok(p) = normalize_phone(&s, Some("UZ")) {
                proptest::prop_assert_eq!(normalize_phone(&p, Some("UZ")).unwrap(), p);
            }
        }

        #[test]
        fn document_normalization_is_idempotent(s in "\\PC{0,16}") {
            if let Ok(d) = normalize_document_number(&s) {
                proptest::prop_assert_eq!(normalize_document_number(&d).unwrap(), d);
            }
        }
    }
}
