//! The entries in hledger's journal format.
//!
//! Every commodity, account and payee is declared before the transactions, so the file
//! passes `hledger check --strict ordereddates payees` (strict: accounts and commodities
//! declared). Lineage is written as tags (`; key: value`), one per comment line, on the
//! transaction or below the posting it belongs to. A tag value ends at a comma and a
//! description at a `;`, so those characters in values from data are replaced, and a
//! description never starts with `(` (hledger would read a transaction code).

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{Declarations, Entry, aligned_postings, one_line};
use crate::model::Money;

pub fn write(entries: &[Entry]) -> String {
    let declared = Declarations::of(entries);
    let mut out = String::new();
    out.push_str(
        "; Written by sluice: one run's ledger facts as double-entry transactions.\n\
         ; Check it with: hledger -f journal.hledger check --strict ordereddates payees\n\n",
    );
    for (code, currency) in &declared.currencies {
        // A sample amount tells hledger how to show the commodity: its decimal places.
        let sample = Money::from_minor(1000 * 10_i64.pow(currency.exponent()), *currency);
        let _ = writeln!(out, "commodity {} {code}", sample.amount);
    }
    out.push('\n');
    for account in &declared.accounts {
        let _ = writeln!(out, "account {account}");
    }
    out.push('\n');
    // Declared as written: two payees may come out the same once made safe.
    let payees: BTreeSet<String> = declared.payees.iter().map(|p| description(p)).collect();
    for payee in payees {
        let _ = writeln!(out, "payee {payee}");
    }
    for entry in entries {
        out.push('\n');
        write_entry(&mut out, entry);
    }
    out
}

fn write_entry(out: &mut String, entry: &Entry) {
    let _ = writeln!(
        out,
        "{} * {} | {}",
        entry.date.format("%Y-%m-%d"),
        description(&entry.payee),
        description(&entry.narration)
    );
    for (key, value) in &entry.meta {
        let _ = writeln!(out, "    ; {key}: {}", tag_value(value));
    }
    for (posting, line) in entry.postings.iter().zip(aligned_postings(entry)) {
        let _ = writeln!(out, "    {line}");
        for (key, value) in &posting.meta {
            let _ = writeln!(out, "        ; {key}: {}", tag_value(value));
        }
    }
}

/// A payee or description: one line, no `;` (a comment) or `|` (the payee's end), not
/// starting with `(` (a transaction code).
fn description(text: &str) -> String {
    let text = one_line(text).replace(';', ",").replace('|', "/");
    match text.strip_prefix('(') {
        Some(rest) => format!("[{rest}"),
        None => text,
    }
}

/// A tag value: one line, no comma (which would end it).
fn tag_value(text: &str) -> String {
    one_line(text).replace(',', ";")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_and_tags_keep_to_one_line_and_their_own_field() {
        assert_eq!(description("Rent; Oct | Nov"), "Rent, Oct / Nov");
        assert_eq!(description("(draft)\nlater"), "[draft) later");
        assert_eq!(tag_value("Müller, Hans"), "Müller; Hans");
    }
}
