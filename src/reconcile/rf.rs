//! ISO 11649 RF creditor references: `RF`, two check digits, then up to 21 letters and
//! digits chosen by the creditor (`RF18539007547034`, printed in groups of four as
//! `RF18 5390 0754 7034`). The check digits exist to catch a mistyped reference: with the
//! first four characters moved to the end and letters read as numbers (A = 10 … Z = 35),
//! the whole is 1 modulo 97 — the scheme of an IBAN. A reference that fails it is never
//! used, however close it is to an invoice number: that is the point of having them.

/// A reference with check digits that do not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongCheckDigits {
    /// The number ISO 11649 checks (see [`check_number`]).
    pub number: String,
    pub remainder: u32,
}

/// `RF18539007547034` → `539007547034271518`: the first four characters moved to the end,
/// each letter replaced by its number (A = 10 … Z = 35). `reference` is in electronic form.
pub fn check_number(reference: &str) -> String {
    let (head, body) = reference.split_at(4.min(reference.len()));
    body.chars()
        .chain(head.chars())
        .filter_map(|c| c.to_digit(36))
        .map(|d| d.to_string())
        .collect()
}

/// The remainder of a decimal number of any length divided by 97, digit by digit (the
/// number has up to 50 digits; no integer type holds it).
pub fn mod97(digits: &str) -> u32 {
    digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .fold(0, |rest, d| (rest * 10 + d) % 97)
}

/// Whether a reference in electronic form (`RF` + two digits + 1 to 21 letters or digits,
/// upper case) has check digits that hold.
pub fn check(reference: &str) -> Result<(), WrongCheckDigits> {
    let number = check_number(reference);
    match mod97(&number) {
        1 => Ok(()),
        remainder => Err(WrongCheckDigits { number, remainder }),
    }
}

/// Whether `token` (upper case) has the shape of an RF reference: `RF`, two digits, 1 to 21
/// letters or digits.
fn shaped(token: &str) -> bool {
    let b = token.as_bytes();
    (5..=25).contains(&b.len())
        && b.starts_with(b"RF")
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_alphanumeric)
}

/// One RF reference in a text, in electronic form, and whether its check digits hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub reference: String,
    pub check: Result<(), WrongCheckDigits>,
    /// Where it starts in the text (a byte offset), to keep the order written.
    pub at: usize,
}

/// The RF references in `text`, in the order written: in electronic form
/// (`RF18539007547034`) or printed in groups of four separated by spaces
/// (`RF18 5390 0754 7034`, the last group may be shorter), in any case.
///
/// Where printed groups end is not written (`RF18 5390 0754 7034 for`): of the ways to
/// read them, the longest whose check digits hold is the reference. When none holds, the
/// one reported is the longest, less a last short group of letters only — a word after
/// the reference, not part of it, to a person reading the message.
pub fn find(text: &str) -> Vec<Found> {
    let words = words(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let groups = printed_groups(&words[i..]);
        // Readings as (groups taken, text), shortest first.
        let readings: Vec<(usize, String)> = (1..=groups.len())
            .map(|n| (n, groups[..n].concat()))
            .filter(|(_, r)| shaped(r))
            .collect();
        let valid = readings.iter().rev().find(|(_, r)| check(r).is_ok());
        let word_after = groups.len() > 1
            && groups
                .last()
                .is_some_and(|g| g.len() < 4 && g.chars().all(|c| c.is_ascii_alphabetic()));
        let reported = match valid {
            Some(valid) => Some(valid),
            None if word_after => readings.iter().rev().nth(1),
            None => readings.last(),
        };
        match reported {
            Some((taken, reference)) => {
                found.push(Found {
                    reference: reference.clone(),
                    check: check(reference),
                    at: words[i].at,
                });
                i += taken;
            }
            None => i += 1,
        }
    }
    found
}

/// One run of ASCII letters and digits in a text, upper case.
struct Word {
    text: String,
    /// Byte offset in the text.
    at: usize,
    /// Only whitespace stands between it and the word before: how printed groups are
    /// separated.
    after_spaces: bool,
}

impl Word {
    /// `RF` and two digits: the start of a reference.
    fn starts_reference(&self) -> bool {
        let b = self.text.as_bytes();
        b.len() >= 4 && b.starts_with(b"RF") && b[2..4].iter().all(u8::is_ascii_digit)
    }
}

/// The groups of a reference starting at the first of `words`: the word itself when it is
/// in electronic form, or `RFkk` and the groups of up to four characters printed after it,
/// each after nothing but spaces, until one that is shorter or starts another reference.
/// Empty when the first word does not start a reference.
fn printed_groups(words: &[Word]) -> Vec<String> {
    let Some(first) = words.first().filter(|w| w.starts_reference()) else {
        return Vec::new();
    };
    let mut groups = vec![first.text.clone()];
    if first.text.len() > 4 {
        return groups;
    }
    let mut length = first.text.len();
    for word in &words[1..] {
        let fits = word.after_spaces && word.text.len() <= 4 && length + word.text.len() <= 25;
        if !fits || word.starts_reference() {
            break;
        }
        length += word.text.len();
        groups.push(word.text.clone());
        if word.text.len() < 4 {
            break;
        }
    }
    groups
}

fn words(text: &str) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut gap = String::new();
    for (at, c) in text.char_indices() {
        if !c.is_ascii_alphanumeric() {
            gap.push(c);
            continue;
        }
        match words.last_mut() {
            Some(word) if gap.is_empty() => word.text.push(c.to_ascii_uppercase()),
            _ => words.push(Word {
                text: c.to_ascii_uppercase().to_string(),
                at,
                after_spaces: gap.chars().all(char::is_whitespace),
            }),
        }
        gap.clear();
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `RF` + the check digits that make `body` valid (ISO 11649 annex B): the body with
    /// `RF00` appended, as a number, mod 97, taken from 98.
    fn with_check_digits(body: &str) -> String {
        let remainder = mod97(&check_number(&format!("RF00{body}")));
        format!("RF{:02}{body}", 98 - remainder)
    }

    #[test]
    fn published_valid_references_pass() {
        for reference in [
            "RF18539007547034",          // ISO 11649's own example (python-stdnum)
            "RF185390075470Y",           // python-stdnum
            "RF712348231",               // ISO 11649 annex B: creditor reference 2348231
            "RF451234512345",            // node-iso11649: "12345 12345"
            "RF68AB2G5",                 // node-iso11649: "AB2G5"
            "RF96TU06FX",                // iso-11649 (npm)
            "RF14X2HU4TC28XTYLHASYWT91", // iso-11649 (npm), a 21-character body
            "RF720HYA6",                 // iso-11649 (npm)
            "RF2012345678",              // a CdtrRefInf/Ref example (maric.info)
        ] {
            assert_eq!(check(reference), Ok(()), "{reference}");
        }
    }

    #[test]
    fn published_invalid_references_fail_with_their_remainder() {
        assert_eq!(
            check("RF17539007547034"),
            Err(WrongCheckDigits {
                number: "539007547034271517".to_string(),
                remainder: 0
            })
        );
        assert_eq!(
            check("RF19GAX8WS5JYOOUJ87").map_err(|e| e.remainder),
            Err(2)
        );
    }

    #[test]
    fn check_digits_are_constructed_as_the_standard_shows() {
        // ISO 11649 annex B: 2348231 → 2348231271500 mod 97 = 27 → 98 − 27 = 71.
        assert_eq!(mod97("2348231271500"), 27);
        assert_eq!(with_check_digits("2348231"), "RF712348231");
        assert_eq!(with_check_digits("539007547034"), "RF18539007547034");
    }

    #[test]
    fn references_are_found_printed_or_electronic_in_any_case() {
        let found = |text: &str| -> Vec<(String, bool)> {
            find(text)
                .into_iter()
                .map(|f| (f.reference, f.check.is_ok()))
                .collect()
        };
        let valid = |r: &str| vec![(r.to_string(), true)];
        assert_eq!(found("RF18539007547034"), valid("RF18539007547034"));
        assert_eq!(
            found("Ref: rf18 5390 0754 7034."),
            valid("RF18539007547034")
        );
        assert_eq!(
            found("RF18 5390 0754 7034 for October"),
            valid("RF18539007547034")
        );
        assert_eq!(found("RF18 5390 0754 70Y"), valid("RF185390075470Y"));
        assert_eq!(found("(RF712348231), thanks"), valid("RF712348231"));
        assert_eq!(
            found("RF19 5390 0754 7034 for October"),
            vec![("RF19539007547034".to_string(), false)]
        );
        assert_eq!(
            found("RF712348231 RF18539007547034"),
            vec![
                ("RF712348231".to_string(), true),
                ("RF18539007547034".to_string(), true)
            ]
        );
        // Printed one after the other: the second's first group starts a reference.
        assert_eq!(
            found("RF18 5390 0754 7034 RF71 2348 231"),
            vec![
                ("RF18539007547034".to_string(), true),
                ("RF712348231".to_string(), true)
            ]
        );
        assert_eq!(
            found("RF19 5390 0754 7034 RF71 2348 231"),
            vec![
                ("RF19539007547034".to_string(), false),
                ("RF712348231".to_string(), true)
            ]
        );
        assert_eq!(find("Ref. RF71 2348 231")[0].at, 5);
        assert!(found("INV-2026-0042, RFID reader, RF 18, SURF12345").is_empty());
        // Groups joined by anything but spaces are not one reference.
        assert!(found("RF18-5390-0754-7034").is_empty());
    }

    fn body() -> impl Strategy<Value = String> {
        "[A-Z0-9]{1,21}"
    }

    proptest! {
        #[test]
        fn any_body_with_its_computed_check_digits_is_valid(body in body()) {
            let reference = with_check_digits(&body);
            prop_assert_eq!(check(&reference), Ok(()));
            let found = find(&format!("paid {reference} thanks"));
            prop_assert_eq!(found.len(), 1);
            prop_assert_eq!(&found[0].reference, &reference);
            prop_assert!(found[0].check.is_ok());
        }

        /// Mod 97 catches every single character replaced by another of its kind (a digit
        /// by a digit, a letter by a letter) and every swap of two neighbours of a kind. A
        /// letter typed for a digit changes the length of the number checked, and about
        /// one such change in 97 passes: ISO 11649 does not promise more, neither do we.
        #[test]
        fn a_character_replaced_by_another_of_its_kind_is_detected(
            body in body(),
            at in any::<prop::sample::Index>(),
            digit in 0u8..10,
            letter in 0u8..26,
        ) {
            let reference = with_check_digits(&body);
            // Not the `RF` itself: the check digits and the body are what a person types.
            let at = 2 + at.index(reference.len() - 2);
            let old = reference.as_bytes()[at];
            let new = if old.is_ascii_digit() { b'0' + digit } else { b'A' + letter };
            prop_assume!(new != old);
            let mut changed = reference.clone().into_bytes();
            changed[at] = new;
            let changed = String::from_utf8(changed).unwrap();
            prop_assert!(check(&changed).is_err(), "{} → {} passed", reference, changed);
        }

        #[test]
        fn two_neighbours_of_a_kind_swapped_are_detected(
            body in body(),
            at in any::<prop::sample::Index>(),
        ) {
            let reference = with_check_digits(&body);
            let at = 2 + at.index(reference.len() - 3);
            let (a, b) = (reference.as_bytes()[at], reference.as_bytes()[at + 1]);
            prop_assume!(a != b && a.is_ascii_digit() == b.is_ascii_digit());
            let mut changed = reference.clone().into_bytes();
            changed.swap(at, at + 1);
            let changed = String::from_utf8(changed).unwrap();
            prop_assert!(check(&changed).is_err(), "{} → {} passed", reference, changed);
        }

        #[test]
        fn a_printed_reference_reads_as_its_electronic_form(body in body()) {
            let reference = with_check_digits(&body);
            let printed: Vec<String> = reference
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).to_lowercase())
                .collect();
            let found = find(&format!("Verwendungszweck {}", printed.join(" ")));
            prop_assert_eq!(found.len(), 1);
            prop_assert_eq!(&found[0].reference, &reference);
        }
    }
}
