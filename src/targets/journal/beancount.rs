//! The entries in beancount's syntax (version 2 and 3 read it alike).
//!
//! Beancount refuses a posting to an account that is not open, so every account used is
//! opened — and every currency declared — on the first date of the file. The currencies
//! of the file are its operating currencies. Lineage is metadata (`key: "value"`) on the
//! transaction, or below the posting it belongs to; strings escape `"` and `\`.

use std::fmt::Write;

use super::{Declarations, Entry, aligned_postings, one_line};

pub fn write(entries: &[Entry]) -> String {
    let declared = Declarations::of(entries);
    let mut out = String::new();
    out.push_str(
        "; Written by sluice: one run's ledger facts as double-entry transactions.\n\
         ; Check it with: bean-check journal.beancount\n\n",
    );
    for code in declared.currencies.keys() {
        let _ = writeln!(out, "option \"operating_currency\" \"{code}\"");
    }
    if let Some(first) = declared.first_date {
        let first = first.format("%Y-%m-%d");
        out.push('\n');
        for code in declared.currencies.keys() {
            let _ = writeln!(out, "{first} commodity {code}");
        }
        out.push('\n');
        for account in &declared.accounts {
            let _ = writeln!(out, "{first} open {account}");
        }
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
        "{} * {} {}",
        entry.date.format("%Y-%m-%d"),
        string(&entry.payee),
        string(&entry.narration)
    );
    for (key, value) in &entry.meta {
        let _ = writeln!(out, "  {key}: {}", string(value));
    }
    for (posting, line) in entry.postings.iter().zip(aligned_postings(entry)) {
        let _ = writeln!(out, "  {line}");
        for (key, value) in &posting.meta {
            let _ = writeln!(out, "    {key}: {}", string(value));
        }
    }
}

/// A beancount string: one line, in quotes, `"` and `\` escaped.
fn string(text: &str) -> String {
    format!(
        "\"{}\"",
        one_line(text).replace('\\', "\\\\").replace('"', "\\\"")
    )
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn strings_escape_quotes_and_backslashes() {
        assert_eq!(string("say \"hi\"\\n\nok"), r#""say \"hi\"\\n ok""#);
    }
}
