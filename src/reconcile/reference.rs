//! Rule: an invoice number found in the bank reference or remittance text (by the
//! pipeline's pattern, tolerant of case, spaces and missing separators).

use super::allocate::allocate;
use super::part::Part;
use super::{Book, RULE_REFERENCE, Trail};
use crate::model::{BankLine, Match};
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

/// Pays the invoices the part names; `None`, with the reason in `trail`, when it names
/// none that is known.
pub fn by_invoice_number(
    line: &BankLine,
    part: &Part,
    book: &mut Book,
    settings: &ReconcileSettings,
    trail: &mut Trail,
) -> Option<Vec<Match>> {
    let (named, unknown) = invoices_named(&part.haystack, book, settings);
    if named.is_empty() {
        trail.note(
            RULE_REFERENCE,
            if unknown.is_empty() {
                "no invoice number found in the reference or the remittance text".to_string()
            } else {
                format!(
                    "mentions {}, which is not a known invoice number — check for a typo, or whether the invoice export is missing",
                    unknown.join(", ")
                )
            },
        );
        return None;
    }
    Some(allocate(
        line,
        part,
        &named,
        RULE_REFERENCE,
        |number, customer| format!("the payment names invoice {number} (customer {customer})"),
        book,
    ))
}
