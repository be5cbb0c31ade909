//! Who pays: names drawn from short lists (so that, as in life, several customers share a
//! name and a name alone identifies nobody), addresses, and German IBANs with valid check
//! digits (the customer export verifies them).

use std::collections::HashSet;

use super::rng::Rng;

const GIVEN: [&str; 32] = [
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannah", "Ilias", "Jonas",
    "Katrin", "Lukas", "Mia", "Noah", "Olga", "Paul", "Quentin", "Rosa", "Sven", "Tina", "Ulrich",
    "Vera", "Wiebke", "Yusuf", "Zoe", "Erika", "Hans", "Lena", "Mehmet", "Sofia", "Tobias", "Ida",
];
const FAMILY: [&str; 32] = [
    "Mueller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krueger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Yilmaz",
    "Kaya",
    "Novak",
    "Jansen",
    "Dubois",
    "Rossi",
    "Nowak",
    "Schaefer",
];
const STREETS: [&str; 8] = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenweg",
    "Lindenallee",
    "Schulstraße",
    "Ringstraße",
    "Am Markt",
    "Bergstraße",
];
const CITIES: [(&str, &str); 6] = [
    ("Berlin", "10115"),
    ("Hamburg", "20095"),
    ("Köln", "50667"),
    ("München", "80331"),
    ("Leipzig", "04109"),
    ("Kassel", "34117"),
];
const BANK_CODES: [&str; 8] = [
    "10010010", "20041133", "37040044", "43060967", "50010517", "60050101", "70150000", "76026000",
];

pub struct Person {
    pub given: &'static str,
    pub family: &'static str,
}

impl Person {
    pub fn draw(rng: &mut Rng) -> Person {
        Person {
            given: rng.pick(&GIVEN),
            family: rng.pick(&FAMILY),
        }
    }

    /// Someone of the same family: a partner or a parent paying for them.
    pub fn relative(&self, rng: &mut Rng) -> Person {
        loop {
            let given = rng.pick(&GIVEN);
            if given != self.given {
                return Person {
                    given,
                    family: self.family,
                };
            }
        }
    }

    pub fn name(&self) -> String {
        format!("{} {}", self.given, self.family)
    }
}

/// `(street and number, city, ZIP)`.
pub fn address(rng: &mut Rng) -> (String, &'static str, &'static str) {
    let (city, zip) = rng.pick(&CITIES);
    (
        format!("{} {}", rng.pick(&STREETS), 1 + rng.below(120)),
        city,
        zip,
    )
}

/// Hands out IBANs, each one once: two payers never share an account by accident.
#[derive(Default)]
pub struct Accounts {
    given: HashSet<String>,
}

impl Accounts {
    pub fn fresh(&mut self, rng: &mut Rng) -> String {
        loop {
            let candidate = iban(rng.pick(&BANK_CODES), rng.below(10_000_000_000));
            if self.given.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// A German IBAN for a bank code and account number, with the check digits ISO 13616
/// computes: the BBAN, then the country code as digits (D = 13, E = 14) and `00`, mod 97.
pub fn iban(bank_code: &str, account: u64) -> String {
    let bban = format!("{bank_code}{account:010}");
    let remainder = format!("{bban}131400")
        .bytes()
        .fold(0u32, |r, digit| (r * 10 + u32::from(digit - b'0')) % 97);
    format!("DE{:02}{bban}", 98 - remainder)
}

#[cfg(test)]
mod tests {
    #[test]
    fn iban_check_digits_are_those_of_the_standard_example() {
        // The example IBAN of ISO 13616 / the German banks' association.
        assert_eq!(
            super::iban("37040044", 532_013_000),
            "DE89370400440532013000"
        );
    }
}
