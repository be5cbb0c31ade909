//! Entry-level dedup: a statement that overlaps an earlier one (the same entries exported
//! again over a longer period) applies only what was not seen before.
//!
//! An entry is identified by account, booking date and amount, plus the bank's own reference
//! when the bank gives one, otherwise the text and counterparty; and by its occurrence count
//! among identical entries of the same file — so two genuinely identical payments on one day
//! are two entries, and the same two exported again are recognised as those two.

use std::collections::HashMap;

use crate::durable::sha256_hex;
use crate::model::BankLine;

/// One fingerprint per line, in order.
pub fn fingerprint_lines(lines: &[BankLine]) -> Vec<String> {
    let mut occurrences: HashMap<String, u32> = HashMap::new();
    lines
        .iter()
        .map(|line| {
            // Date and amount are part of the key even with a bank reference: some banks
            // write a placeholder (NONREF) instead of a reference, and a re-exported entry
            // keeps its date and amount anyway.
            let identity = if line.bank_reference.trim().is_empty() {
                let text = line.text.split_whitespace().collect::<Vec<_>>().join(" ");
                format!("entry\u{1f}{text}\u{1f}{}", line.counterparty.trim())
            } else {
                format!("reference\u{1f}{}", line.bank_reference.trim())
            };
            let base = format!(
                "{identity}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
                // `DE89 3704 …` and `de893704…` are one account.
                line.account
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_uppercase(),
                line.booking_date,
                line.amount.amount,
                line.amount.currency,
            );
            let n = occurrences.entry(base.clone()).or_insert(0);
            *n += 1;
            sha256_hex(format!("{base}\u{1f}{n}").as_bytes())[..32].to_string()
        })
        .collect()
}

/// Fingerprints already applied, with the entry that carried each.
#[derive(Default)]
pub struct Fingerprints {
    seen: HashMap<String, Earlier>,
}

#[derive(Clone)]
pub struct Earlier {
    pub id: String,
    pub file_name: String,
    pub line: u64,
}

impl Fingerprints {
    pub fn insert(&mut self, fingerprint: &str, line: &BankLine) {
        self.seen
            .entry(fingerprint.to_string())
            .or_insert_with(|| Earlier {
                id: line.id.clone(),
                file_name: line.lineage.file_name.clone(),
                line: line.lineage.line,
            });
    }

    pub fn earlier(&self, fingerprint: &str) -> Option<&Earlier> {
        self.seen.get(fingerprint)
    }
}
