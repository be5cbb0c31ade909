//! QuickBooks Desktop's IIF files (Intuit Interchange Format; File → Utilities → Import →
//! IIF Files): the customer list, invoices and credit memos.
//!
//! The format is Intuit's "IIF reference" (QuickBooks Desktop in-product help, "Customers &
//! Jobs list (CUST)" and "Transactions (TRNS and SPL)"): tab-separated lines; a header line
//! starting with `!` names the columns of the lines of its keyword below it. A transaction
//! is a `TRNS` line, its distribution lines (`SPL`) and `ENDTRNS`; `TRNSTYPE`, `ACCNT` and
//! `AMOUNT` are required, "debit amounts are always positive, credit amounts are always
//! negative", and a transaction's amounts sum to zero. So an invoice is
//!
//! ```text
//! TRNS  INVOICE  10/01/2026  Accounts Receivable  Ada Lovelace (C1)   29.15  INV-1
//! SPL   INVOICE  10/01/2026  Sales:Internet       Ada Lovelace (C1)  -20.00  INV-1  Fibre 100  …  -2  10.00
//! SPL   INVOICE  10/01/2026  VAT Payable          Ada Lovelace (C1)   -3.80  INV-1  VAT 19%
//! ENDTRNS
//! ```
//!
//! — the receivable debited with the total, each line's income account credited with its
//! net amount (`QNTY` negative on an invoice, as QuickBooks' own exports write it), the VAT
//! of each rate credited to the account `tax_rates` names — and a credit memo (`CREDIT
//! MEMO`) the same with every sign turned. The receivable line's total is the sum of the
//! others, so every transaction balances to the cent. Dates are `MM/DD/YYYY`, the only form
//! the IIF import reads (so `date_format` does not apply). QuickBooks Desktop reads IIF as
//! Windows ("ANSI") text: the files are Windows-1252, a character it cannot hold written
//! `?`, CRLF line ends.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::{Customer, Document};
use crate::targets::mapping::{ImportLine, Mapping, StagedCustomer, customers_to_stage};
use crate::targets::{RenderedFile, RunFacts};

/// The account QuickBooks Desktop books what customers owe to (created by QuickBooks with
/// this name; the receivable side of every invoice and credit memo).
pub const RECEIVABLE: &str = "Accounts Receivable";
/// QuickBooks Desktop's limit on an address line.
pub const MAX_ADDRESS_LINE: usize = 41;
/// QuickBooks Desktop's limit on a phone number.
pub const MAX_PHONE: usize = 21;

const CUSTOMER_HEADER: [&str; 8] = [
    "!CUST", "NAME", "BADDR1", "BADDR2", "BADDR3", "BADDR4", "PHONE1", "EMAIL",
];
const TRNS_HEADER: [&str; 9] = [
    "!TRNS", "TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO", "DUEDATE",
];
const SPL_HEADER: [&str; 11] = [
    "!SPL", "TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO", "INVITEM", "QNTY",
    "PRICE",
];

pub fn render(mapping: &Mapping, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    let staged = customers_to_stage(facts.customers, facts.staged_documents, facts.all_customers);
    if !staged.is_empty() {
        let lines: Vec<Vec<String>> = staged
            .values()
            .map(|customer| customer_line(mapping, customer))
            .collect();
        files.push(RenderedFile {
            name: "quickbooks-customers.iif".to_string(),
            bytes: iif_bytes(&[&CUSTOMER_HEADER[..]], &lines),
            records: lines.len() as u64,
            totals: BTreeMap::new(),
        });
    }
    let (credit_memos, invoices) = mapping.documents_to_import(facts.staged_documents);
    for (name, kind, docs) in [
        ("quickbooks-invoices.iif", Kind::Invoice, invoices),
        (
            "quickbooks-credit-memos.iif",
            Kind::CreditMemo,
            credit_memos,
        ),
    ] {
        if docs.is_empty() {
            continue;
        }
        let mut lines = Vec::new();
        let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
        for doc in &docs {
            let customer = StagedCustomer::of_document(doc, facts.all_customers);
            let name = mapping.contact_name(&customer.facts());
            let transaction = transaction(doc, kind, &name, mapping);
            *totals
                .entry(doc.total.currency.code().to_string())
                .or_default() += transaction.receivable.abs();
            lines.extend(transaction.lines);
        }
        files.push(RenderedFile {
            name: name.to_string(),
            bytes: iif_bytes(&[&TRNS_HEADER[..], &SPL_HEADER[..], &["!ENDTRNS"]], &lines),
            records: docs.len() as u64,
            totals,
        });
    }
    files
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invoice,
    CreditMemo,
}

/// One document's `TRNS`, `SPL` and `ENDTRNS` lines, and its receivable amount.
struct Transaction {
    receivable: Decimal,
    lines: Vec<Vec<String>>,
}

fn transaction(doc: &Document, kind: Kind, name: &str, mapping: &Mapping) -> Transaction {
    // Lines in the document's own direction (a credit note's positive); the credits of an
    // invoice are negative, of a credit memo positive.
    let (sign, credit, trnstype) = match kind {
        Kind::Invoice => (Decimal::ONE, Decimal::NEGATIVE_ONE, "INVOICE"),
        Kind::CreditMemo if doc.total.amount.is_sign_negative() => {
            (Decimal::NEGATIVE_ONE, Decimal::ONE, "CREDIT MEMO")
        }
        Kind::CreditMemo => (Decimal::ONE, Decimal::ONE, "CREDIT MEMO"),
    };
    let date = doc.issue_date.format("%m/%d/%Y").to_string();
    let number = text(doc.number.trim());
    let line = |account: &str, amount: Decimal, memo: &str| {
        vec![
            "SPL".to_string(),
            trnstype.to_string(),
            date.clone(),
            text(account),
            text(name),
            money(amount),
            number.clone(),
            text(memo),
        ]
    };
    let mut splits = Vec::new();
    let mut vat: BTreeMap<Decimal, Decimal> = BTreeMap::new();
    for l in mapping.lines(doc, sign) {
        let ImportLine {
            item,
            description,
            quantity,
            unit_amount,
            account,
            tax_amount,
            vat_rate,
            ..
        } = l;
        let mut split = line(&account, credit * quantity * unit_amount, &description);
        split.extend([text(&item), money(credit * quantity), money(unit_amount)]);
        splits.push((credit * quantity * unit_amount, split));
        if let (Some(amount), Some(rate)) = (tax_amount, vat_rate) {
            *vat.entry(rate).or_default() += amount;
        }
    }
    for (rate, amount) in vat.into_iter().filter(|(_, a)| !a.is_zero()) {
        let account = mapping.tax_rate_of(rate).unwrap_or_default();
        let split = line(account, credit * amount, &format!("VAT {rate}%"));
        splits.push((credit * amount, split));
    }
    let receivable = -splits.iter().map(|(amount, _)| *amount).sum::<Decimal>();
    let due = match (kind, doc.due_date) {
        // Only invoices have a due date; an export without one means due on issue.
        (Kind::Invoice, due) => due.unwrap_or(doc.issue_date).format("%m/%d/%Y").to_string(),
        (Kind::CreditMemo, _) => String::new(),
    };
    let mut lines = vec![vec![
        "TRNS".to_string(),
        trnstype.to_string(),
        date.clone(),
        RECEIVABLE.to_string(),
        text(name),
        money(receivable),
        number.clone(),
        String::new(),
        due,
    ]];
    lines.extend(splits.into_iter().map(|(_, split)| split));
    lines.push(vec!["ENDTRNS".to_string()]);
    Transaction { receivable, lines }
}

fn customer_line(mapping: &Mapping, customer: &StagedCustomer<'_>) -> Vec<String> {
    let name = mapping.contact_name(&customer.facts());
    let mut line = vec!["CUST".to_string(), text(&name)];
    match customer {
        StagedCustomer::Known(c) => line.extend(address(c)),
        StagedCustomer::FromDocument(d) => {
            line.push(cut(&d.customer_name, MAX_ADDRESS_LINE));
            line.extend(std::iter::repeat_n(String::new(), 5));
        }
    }
    line
}

/// The billing address as QuickBooks prints it (name, street, postcode and city, country),
/// each line cut to what QuickBooks takes, then phone and email.
fn address(c: &Customer) -> Vec<String> {
    let town = format!("{} {}", c.zip.trim(), c.city.trim());
    let phone = text(c.phone.trim());
    vec![
        cut(&c.name, MAX_ADDRESS_LINE),
        cut(&c.street, MAX_ADDRESS_LINE),
        cut(&town, MAX_ADDRESS_LINE),
        cut(&c.country, MAX_ADDRESS_LINE),
        // A cut phone number is a wrong one.
        if phone.chars().count() > MAX_PHONE {
            String::new()
        } else {
            phone
        },
        text(c.email.trim()),
    ]
}

/// A value as one IIF field: a tab would end it and a line break the line; a quotation
/// mark makes QuickBooks read the field as quoted.
pub(super) fn text(value: &str) -> String {
    value
        .replace('"', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn cut(value: &str, max: usize) -> String {
    text(value)
        .chars()
        .take(max)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// An amount as IIF reads it: a dot, no thousands separator, never `-0`.
pub(super) fn money(amount: Decimal) -> String {
    if amount.is_zero() {
        amount.abs().to_string()
    } else {
        amount.to_string()
    }
}

/// The file: header lines, then the lines, tab-separated, CRLF, in Windows-1252.
pub(super) fn iif_bytes(headers: &[&[&str]], lines: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::new();
    for header in headers {
        out.push_str(&header.join("\t"));
        out.push_str("\r\n");
    }
    for line in lines {
        out.push_str(&line.join("\t"));
        out.push_str("\r\n");
    }
    windows_1252(&out)
}

fn windows_1252(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut buffer = [0u8; 4];
    for c in text.chars() {
        let (encoded, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buffer));
        if unmappable {
            bytes.push(b'?');
        } else {
            bytes.extend_from_slice(&encoded);
        }
    }
    bytes
}
