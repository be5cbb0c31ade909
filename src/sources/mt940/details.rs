//! Field `:86:`, the information to the account owner, in the three shapes banks write it:
//! German `?`-sub-fields (`166?00SEPA-GUTSCHRIFT?20EREF+…?32Name`), Dutch and Polish
//! `/KEY/value` pairs (`/EREF/…/REMI/…/NAME/…`), and plain free text.
//!
//! Line breaks inside `?`-sub-fields are technical (the DK format says to ignore them), so
//! those lines are joined as they are; a sub-field of `?20`–`?29` shorter than its 27
//! characters ended where the payer's line ended, and gets a space after it. `/KEY/` text
//! is joined without a separator too: banks wrap it at 65 characters, but some wrap
//! shorter, and a space wrongly put inside an end-to-end id or mandate breaks matching,
//! while a missing one between two words of remittance text does not.

use std::borrow::Cow;

/// What an entry's `:86:` says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Details {
    /// German business transaction code (`Geschäftsvorfallcode`, the digits before `?00`).
    pub code: String,
    pub text: String,
    pub counterparty: String,
    pub counterparty_account: String,
    pub end_to_end_id: String,
    pub mandate_id: String,
    pub creditor_reference: String,
    pub return_reason: String,
}

pub fn parse(value: &str) -> Details {
    let joined: Cow<str> = if value.contains('\n') {
        let mut joined = String::with_capacity(value.len());
        value.lines().for_each(|line| joined.push_str(line));
        Cow::Owned(joined)
    } else {
        Cow::Borrowed(value)
    };
    if let Some(details) = german(&joined) {
        return details;
    }
    if let Some(details) = slashes(&joined) {
        return details;
    }
    Details {
        text: free_text(value),
        ..Details::default()
    }
}

/// The words of `value`, one space between each.
pub fn free_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `NNN?00…?10…?20…`: split at every `?` followed by two digits.
fn german(joined: &str) -> Option<Details> {
    let bytes = joined.as_bytes();
    let code_len = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
    if !matches!(code_len, 0 | 3) || !is_subfield(bytes, code_len) {
        return None;
    }
    let mut details = Details {
        code: joined[..code_len].to_string(),
        ..Details::default()
    };
    let mut booking_text = "";
    let mut remittance = String::with_capacity(joined.len());
    let mut previous_full = true;
    let (mut bank, mut account) = ("", "");
    // Borrowed unless `?32` and `?33` both hold part of it.
    let mut name = Cow::Borrowed("");
    // Sub-fields lie a few bytes apart: a plain byte loop beats a memchr search per `?`.
    let mut starts = (code_len..bytes.len())
        .filter(|&i| is_subfield(bytes, i))
        .peekable();
    while let Some(start) = starts.next() {
        let end = starts.peek().copied().unwrap_or(joined.len());
        let value = &joined[start + 3..end];
        match &joined[start + 1..start + 3] {
            "00" => booking_text = value.trim(),
            "20" | "21" | "22" | "23" | "24" | "25" | "26" | "27" | "28" | "29" | "60" | "61"
            | "62" | "63" => {
                if !previous_full {
                    remittance.push(' ');
                }
                remittance.push_str(value);
                previous_full = value.chars().count() >= 27;
            }
            "30" => bank = value.trim(),
            "31" => account = value.trim(),
            "32" | "33" if name.is_empty() => name = Cow::Borrowed(value),
            "32" | "33" => name.to_mut().push_str(value),
            _ => {}
        }
    }
    // An empty last sub-field can leave a space at the end; both readings below trim it.
    details.text = match sepa_parts(&remittance) {
        Some(parts) => {
            let mut text = String::new();
            for (key, value) in parts {
                let value = value.trim();
                match key {
                    "EREF" if !value.eq_ignore_ascii_case("NOTPROVIDED") => {
                        details.end_to_end_id = value.to_string()
                    }
                    "MREF" => details.mandate_id = value.to_string(),
                    // CRED+ is the SEPA creditor identifier (who collects), not a
                    // reference to what is paid: it has no place among the entry's fields.
                    "SVWZ" => text = value.to_string(),
                    _ => {}
                }
            }
            text
        }
        None => free_text(&remittance),
    };
    if details.text.is_empty() {
        details.text = booking_text.to_string();
    }
    details.counterparty = name.trim().to_string();
    details.counterparty_account = if bank.is_empty() || looks_like_iban(account) {
        account.to_string()
    } else if account.is_empty() {
        String::new()
    } else {
        format!("{bank}/{account}")
    };
    Some(details)
}

fn is_subfield(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&b'?')
        && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        && bytes.get(i + 2).is_some_and(u8::is_ascii_digit)
}

const SEPA_KEYS: [&str; 13] = [
    "EREF", "KREF", "MREF", "CRED", "DEBT", "COAM", "OAMT", "SVWZ", "ABWA", "ABWE", "IBAN", "BIC",
    "PURP",
];

/// `EREF+…MREF+…SVWZ+…` as the German banks' SEPA remittance writes it; `None` when the
/// remittance does not start with such a prefix.
fn sepa_parts(text: &str) -> Option<impl Iterator<Item = (&'static str, &str)>> {
    let mut starts = sepa_key_starts(text).peekable();
    if starts.peek()?.0 != 0 {
        return None;
    }
    Some(keyed_parts(text, starts, 1))
}

/// Where each `KEY+` of `text` starts. No key holds a `+` or ends another key, so each `+`
/// ends at most one key: finding the `+`s and looking back at the few bytes before each
/// takes one pass, where trying every key at every character took thirteen.
fn sepa_key_starts(text: &str) -> impl Iterator<Item = (usize, &'static str)> {
    text.match_indices('+').filter_map(|(plus, _)| {
        let before = &text.as_bytes()[..plus];
        let key = SEPA_KEYS
            .iter()
            .copied()
            .find(|key| before.ends_with(key.as_bytes()))?;
        Some((plus - key.len(), key))
    })
}

/// Each key with the text from after its key and separators (`overhead` bytes besides the
/// key) up to the next key's start, or the end.
fn keyed_parts(
    text: &str,
    mut starts: std::iter::Peekable<impl Iterator<Item = (usize, &'static str)>>,
    overhead: usize,
) -> impl Iterator<Item = (&'static str, &str)> {
    std::iter::from_fn(move || {
        let (start, key) = starts.next()?;
        let end = starts.peek().map_or(text.len(), |&(next, _)| next);
        // Two keys may share a separator (`/EREF/REMI/x`): the first one's value is empty.
        let value = (start + key.len() + overhead).min(end);
        Some((key, &text[value..end]))
    })
}

const SLASH_KEYS: [&str; 26] = [
    "TRTP", "EREF", "REMI", "NAME", "IBAN", "BIC", "MARF", "RTRN", "CSID", "CNTP", "ORDP", "BENM",
    "ADDR", "PURP", "ISDT", "TRCD", "ULTC", "ULTD", "ULTB", "SVCL", "CHGS", "EXCH", "OCMT", "PREF",
    "BUSP", "ID",
];

/// `/EREF/…//REMI/USTD//…/` (ING, ABN AMRO, Rabobank, Knab, SNS, Triodos, Polish banks).
fn slashes(joined: &str) -> Option<Details> {
    let mut starts = slash_key_starts(joined).peekable();
    if starts.peek()?.0 != 0 {
        return None;
    }
    let mut details = Details::default();
    for (key, value) in keyed_parts(joined, starts, 2) {
        let value = value.trim_end_matches('/').trim();
        match key {
            "EREF" if !value.eq_ignore_ascii_case("NOTPROVIDED") => {
                details.end_to_end_id = value.to_string()
            }
            "REMI" => remittance(value, &mut details),
            "NAME" if details.counterparty.is_empty() => details.counterparty = value.to_string(),
            "IBAN" if details.counterparty_account.is_empty() => {
                details.counterparty_account = value.to_string()
            }
            "MARF" => details.mandate_id = value.to_string(),
            "RTRN" => details.return_reason = value.to_string(),
            // ING: `/CNTP/account/BIC/name/city/`.
            "CNTP" => {
                let mut parts = value.split('/');
                let account = parts.next().unwrap_or("").trim();
                let name = parts.nth(1).unwrap_or("").trim();
                if !account.is_empty() {
                    details.counterparty_account = account.to_string();
                }
                if !name.is_empty() {
                    details.counterparty = name.to_string();
                }
            }
            _ => {}
        }
    }
    Some(details)
}

/// Where each `/KEY/` of `text` starts: at a `/`, so only those are looked at.
fn slash_key_starts(text: &str) -> impl Iterator<Item = (usize, &'static str)> {
    text.match_indices('/').filter_map(|(slash, _)| {
        let after = &text.as_bytes()[slash + 1..];
        let key = SLASH_KEYS
            .iter()
            .copied()
            .find(|key| after.starts_with(key.as_bytes()) && after.get(key.len()) == Some(&b'/'))?;
        Some((slash, key))
    })
}

/// `USTD//free text`, `STRD/CUR/structured reference`, or the text itself.
fn remittance(value: &str, details: &mut Details) {
    if let Some(text) = value.strip_prefix("USTD/") {
        details.text = free_text(text.trim_start_matches('/'));
    } else if let Some(rest) = value.strip_prefix("STRD/") {
        let reference = rest.rsplit('/').next().unwrap_or(rest).trim();
        details.creditor_reference = reference.to_string();
        details.text = reference.to_string();
    } else {
        details.text = free_text(value);
    }
}

fn looks_like_iban(account: &str) -> bool {
    let b = account.as_bytes();
    b.len() >= 15
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_subfields_with_sepa_prefixes() {
        let d = parse(
            "166?00SEPA-GUTSCHRIFT?109310?20EREF+E2E-1?21MREF+M-7?22CRED+DE98ZZZ09999999999?23SVWZ+Rechnung R-2026-\n0042?30GENODEF1XXX?31DE89370400440532013000?32Muster?33mann GmbH",
        );
        assert_eq!(d.code, "166");
        assert_eq!(d.end_to_end_id, "E2E-1");
        assert_eq!(d.mandate_id, "M-7");
        assert_eq!(
            d.creditor_reference, "",
            "CRED+ is the creditor id, not a reference"
        );
        assert_eq!(d.text, "Rechnung R-2026-0042");
        assert_eq!(d.counterparty, "Mustermann GmbH");
        assert_eq!(d.counterparty_account, "DE89370400440532013000");
    }

    #[test]
    fn german_subfields_before_sepa_are_lines_of_text() {
        let d = parse("805?00ENTGELTABSCHLUSS?106666?20Pauschalen?21Porto?3012345678?311122334");
        assert_eq!(d.text, "Pauschalen Porto");
        assert_eq!(d.counterparty_account, "12345678/1122334");
        let d = parse("805?00ENTGELTABSCHLUSS?106666");
        assert_eq!(d.text, "ENTGELTABSCHLUSS");
    }

    #[test]
    fn keys_sharing_a_slash_leave_the_first_value_empty() {
        // Found by fuzzing: this sliced past the end of the first value and panicked.
        let details = parse("/EREF/REMI/x");
        assert_eq!(details.end_to_end_id, "");
        assert_eq!(details.text, "x");
    }

    #[test]
    fn dutch_slash_pairs() {
        let d = parse(
            "/EREF/0000008668-001//MARF/00004444-001//CSID/NL53\nZZZ341191060000//CNTP/NL88INGB0999999999/INGBNL2A/RAAMEN NV///REM\nI/USTD//KASSA ABC-654321/",
        );
        assert_eq!(d.end_to_end_id, "0000008668-001");
        assert_eq!(d.mandate_id, "00004444-001");
        assert_eq!(d.counterparty, "RAAMEN NV");
        assert_eq!(d.counterparty_account, "NL88INGB0999999999");
        assert_eq!(d.text, "KASSA ABC-654321");
        let d = parse(
            "/RTRN/MS03/EREF/NOTPROVIDED/BENM//NAME/Acme/IBAN/NL12/REMI/STRD/CUR/1234567890123456/",
        );
        assert_eq!(d.return_reason, "MS03");
        assert_eq!(d.end_to_end_id, "");
        assert_eq!(d.counterparty, "Acme");
        assert_eq!(d.creditor_reference, "1234567890123456");
    }

    /// Every string of up to `len` of `tokens`, for comparing a scan with its definition.
    fn combinations(tokens: &[&str], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| tokens.iter().map(move |t| format!("{s}{t}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// What a key start is: at a character, some key followed by its separator.
    fn key_starts_by_definition(
        text: &str,
        keys: &[&'static str],
        before: &str,
        after: char,
    ) -> Vec<(usize, &'static str)> {
        text.char_indices()
            .filter_map(|(i, _)| {
                let rest = text[i..].strip_prefix(before)?;
                let key = keys.iter().find(|key| {
                    rest.strip_prefix(**key)
                        .is_some_and(|rest| rest.starts_with(after))
                })?;
                Some((i, *key))
            })
            .collect()
    }

    #[test]
    fn no_sepa_key_ends_another() {
        // `sepa_key_starts` looks back from each `+` for one key; a key ending another
        // (`BIC` and a `XBIC`) would start twice before the same `+`.
        for a in SEPA_KEYS {
            for b in SEPA_KEYS {
                assert!(a == b || !a.ends_with(b), "{a} ends with {b}");
            }
        }
    }

    #[test]
    fn sepa_keys_are_found_where_the_definition_finds_them() {
        let tokens = ["EREF", "BIC", "+", "SVWZ", "COAM", "T", "é", "€", " ", "x"];
        for text in combinations(&tokens, 5) {
            assert_eq!(
                sepa_key_starts(&text).collect::<Vec<_>>(),
                key_starts_by_definition(&text, &SEPA_KEYS, "", '+'),
                "{text:?}"
            );
        }
    }

    #[test]
    fn slash_keys_are_found_where_the_definition_finds_them() {
        let tokens = ["/", "EREF", "ID", "IBAN", "BIC", "é", "€", " ", "x"];
        for text in combinations(&tokens, 5) {
            assert_eq!(
                slash_key_starts(&text).collect::<Vec<_>>(),
                key_starts_by_definition(&text, &SLASH_KEYS, "/", '/'),
                "{text:?}"
            );
        }
    }

    #[test]
    fn sepa_parts_split_only_at_keys() {
        fn parts(text: &str) -> Option<Vec<(&str, &str)>> {
            sepa_parts(text).map(Iterator::collect)
        }
        assert_eq!(
            parts("EREF+a+b SVWZ no key SVWZ+Rechnung"),
            Some(vec![("EREF", "a+b SVWZ no key "), ("SVWZ", "Rechnung")]),
            "a + in a value, a key without + in the text"
        );
        assert_eq!(
            parts("SVWZ+Müller€EREF+1ßBIC+X"),
            Some(vec![("SVWZ", "Müller€"), ("EREF", "1ß"), ("BIC", "X")]),
            "keys right after multibyte characters"
        );
        assert_eq!(
            parts("EREF+SVWZ++"),
            Some(vec![("EREF", ""), ("SVWZ", "+")])
        );
        assert_eq!(parts("Miete EREF+1"), None, "not at the start");
        assert_eq!(parts("ÉREF+1"), None);
        assert_eq!(parts(""), None);
    }

    #[test]
    fn anything_else_is_free_text() {
        let d = parse("GIRO AUS ONLINE-SIC 80532\n 10 1234 XXXX");
        assert_eq!(d.text, "GIRO AUS ONLINE-SIC 80532 10 1234 XXXX");
        assert_eq!(
            parse("?"),
            Details {
                text: "?".into(),
                ..Details::default()
            }
        );
    }
}
