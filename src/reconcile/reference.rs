//! Rule: an invoice number found in the bank reference or remittance text (by the
//! pipeline's pattern, tolerant of case, spaces and missing separators).

use super::allocate::{allocate, base};
use super::part::Part;
use super::{Book, RULE_NONE, RULE_REFERENCE};
use crate::model::{BankLine, Match, MatchKind};
use crate::pipeline::ReconcileSettings;

/// The known invoice numbers `text` mentions, in order, and the numbers it mentions that
/// are not known.
pub fn invoices_named(
    text: &str,
    book: &Book,
    settings: &ReconcileSettings,
) -> (Vec<String>, Vec<String>) {
    let mut known: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for found in settings.invoice_pattern.find_iter(text) {
        match book.number_for(found.as_str()) {
            Some(number) if !known.contains(&number) => known.push(number),
            Some(_) => {}
            None => unknown.push(found.as_str().trim().to_string()),
        }
    }
    (known, unknown)
}

pub fn by_invoice_number(
    line: &BankLine,
    part: &Part,
    book: &mut Book,
    settings: &ReconcileSettings,
) -> Vec<Match> {
    let (named, unknown) = invoices_named(&part.haystack, book, settings);
    if named.is_empty() {
        let why = if unknown.is_empty() {
            "no invoice number found in the reference or the remittance text".to_string()
        } else {
            format!(
                "mentions {}, which is not a known invoice number — check for a typo, or whether the invoice export is missing",
                unknown.join(", ")
            )
        };
        return vec![base(
            line,
            part,
            MatchKind::Unmatched,
            part.amount,
            RULE_NONE,
            0,
            why,
        )];
    }
    allocate(
        line,
        part,
        &named,
        RULE_REFERENCE,
        |number, customer| format!("the payment names invoice {number} (customer {customer})"),
        book,
    )
}
