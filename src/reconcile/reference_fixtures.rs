//! Books, bank lines and settings for the reference rules' tests.

use chrono::NaiveDate;

use super::Book;
use crate::model::{
    BankLine, Currency, Document, DocumentKind, DocumentStatus, EntryInfo, Lineage, Money,
};
use crate::pipeline::ReconcileSettings;

pub fn eur(text: &str) -> Money {
    Money {
        amount: text.parse().expect("an amount"),
        currency: Currency::from_code("EUR").expect("EUR"),
    }
}

fn lineage(file: &str, line: u64) -> Lineage {
    Lineage {
        file_sha256: "cd".repeat(32),
        file_name: file.to_string(),
        line,
    }
}

/// An open EUR invoice of customer C1 Ada, issued on `day` of October 2026.
pub fn invoice(number: &str, day: u32, total: &str) -> Document {
    Document {
        number: number.to_string(),
        kind: DocumentKind::Invoice,
        customer_id: "C1".to_string(),
        customer_name: "Ada".to_string(),
        issue_date: NaiveDate::from_ymd_opt(2026, 10, day).expect("a day of October"),
        due_date: None,
        total: eur(total),
        status: DocumentStatus::Open,
        deleted: false,
        itemized: false,
        lines: Vec::new(),
        lineage: lineage("invoices-2026-10.csv", 2),
    }
}

/// A book of open invoices: (number, day of issue, total in EUR).
pub fn book(invoices: &[(&str, u32, &str)]) -> Book {
    let mut book = Book::default();
    for (number, day, total) in invoices {
        book.upsert(invoice(number, *day, total));
    }
    book
}

/// Money in, as a bank CSV gives it: remittance text, no structured fields.
pub fn line(amount: &str, text: &str) -> BankLine {
    let lineage = lineage("bank-2026-10.csv", 2);
    BankLine {
        id: lineage.record_id(),
        lineage,
        account: "DE89370400440532013000".to_string(),
        booking_date: NaiveDate::from_ymd_opt(2026, 10, 20).expect("a date"),
        value_date: None,
        amount: eur(amount),
        counterparty: "Ada".to_string(),
        counterparty_account: String::new(),
        bank_reference: String::new(),
        text: text.to_string(),
        info: EntryInfo::default(),
    }
}

/// The defaults, with only the reference rules on: these tests are about them.
pub fn settings() -> ReconcileSettings {
    ReconcileSettings {
        by_customer: false,
        by_amount_and_date: false,
        ..ReconcileSettings::default()
    }
}
