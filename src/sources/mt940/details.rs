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
    let joined: String = value.lines().collect();
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

/// Lines joined as written, with a space after a line shorter than `width`.
fn unwrap_lines(value: &str, width: usize) -> String {
    let mut out = String::with_capacity(value.len());
    let mut previous_full = true;
    for line in value.lines() {
        if !previous_full {
            out.push(' ');
        }
        out.push_str(line);
        previous_full = line.chars().count() >= width;
    }
    out
}

pub fn free_text(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
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
    let mut booking_text = String::new();
    let mut remittance: Vec<&str> = Vec::new();
    let (mut bank, mut account, mut name) = ("", "", String::new());
    let starts: Vec<usize> = (code_len..bytes.len())
        .filter(|&i| is_subfield(bytes, i))
        .collect();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(joined.len());
        let value = &joined[start + 3..end];
        match &joined[start + 1..start + 3] {
            "00" => booking_text = value.trim().to_string(),
            "20" | "21" | "22" | "23" | "24" | "25" | "26" | "27" | "28" | "29" | "60" | "61"
            | "62" | "63" => remittance.push(value),
            "30" => bank = value.trim(),
            "31" => account = value.trim(),
            "32" | "33" => name.push_str(value),
            _ => {}
        }
    }
    let concatenated = unwrap_lines(&remittance.join("\n"), 27);
    details.text = match sepa_parts(&concatenated) {
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
        None => free_text(&concatenated),
    };
    if details.text.is_empty() {
        details.text = booking_text;
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
fn sepa_parts(text: &str) -> Option<Vec<(&str, &str)>> {
    let prefix_at = |i: usize| {
        SEPA_KEYS
            .iter()
            .copied()
            .find(|key| text[i..].starts_with(key) && text[i + key.len()..].starts_with('+'))
    };
    prefix_at(0)?;
    let starts: Vec<(usize, &str)> = text
        .char_indices()
        .filter_map(|(i, _)| prefix_at(i).map(|key| (i, key)))
        .collect();
    Some(
        starts
            .iter()
            .enumerate()
            .map(|(n, &(start, key))| {
                let end = starts.get(n + 1).map_or(text.len(), |&(next, _)| next);
                (key, &text[start + key.len() + 1..end])
            })
            .collect(),
    )
}

const SLASH_KEYS: [&str; 26] = [
    "TRTP", "EREF", "REMI", "NAME", "IBAN", "BIC", "MARF", "RTRN", "CSID", "CNTP", "ORDP", "BENM",
    "ADDR", "PURP", "ISDT", "TRCD", "ULTC", "ULTD", "ULTB", "SVCL", "CHGS", "EXCH", "OCMT", "PREF",
    "BUSP", "ID",
];

/// `/EREF/…//REMI/USTD//…/` (ING, ABN AMRO, Rabobank, Knab, SNS, Triodos, Polish banks).
fn slashes(joined: &str) -> Option<Details> {
    let key_at = |i: usize| {
        if joined.as_bytes().get(i) != Some(&b'/') {
            return None;
        }
        SLASH_KEYS.iter().copied().find(|key| {
            joined[i + 1..].starts_with(key) && joined[i + 1 + key.len()..].starts_with('/')
        })
    };
    key_at(0)?;
    let starts: Vec<(usize, &str)> = joined
        .char_indices()
        .filter_map(|(i, _)| key_at(i).map(|key| (i, key)))
        .collect();
    let mut details = Details::default();
    for (n, &(start, key)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(joined.len(), |&(next, _)| next);
        let value = joined[start + key.len() + 2..end]
            .trim_end_matches('/')
            .trim();
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
