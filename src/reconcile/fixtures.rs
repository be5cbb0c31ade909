//! Records for the rules' unit tests: euro invoices due in October 2026, customers with an
//! IBAN, bank lines from an account with a text.

use chrono::NaiveDate;

use crate::model::{
    BankLine, Currency, Customer, Document, DocumentKind, DocumentStatus, EntryInfo, Lineage, Money,
};

pub fn eur(minor: i64) -> Money {
    Money::from_minor(minor, Currency::from_code("EUR").expect("EUR"))
}

pub fn october(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, day).expect("a day of October 2026")
}

fn lineage(line: u64) -> Lineage {
    Lineage {
        file_sha256: "ab".repeat(32),
        file_name: "test.csv".to_string(),
        line,
    }
}

/// An open invoice of `customer`, issued on the 1st, due on October `due`.
pub fn invoice(number: &str, customer: &str, due: u32, minor: i64) -> Document {
    Document {
        number: number.to_string(),
        kind: DocumentKind::Invoice,
        customer_id: customer.to_string(),
        customer_name: format!("Name of {customer}"),
        issue_date: october(1),
        due_date: Some(october(due)),
        total: eur(minor),
        status: DocumentStatus::Open,
        deleted: false,
        itemized: false,
        lines: Vec::new(),
        lineage: lineage(2),
    }
}

pub fn customer(id: &str, iban: &str) -> Customer {
    Customer {
        id: id.to_string(),
        login: String::new(),
        name: format!("Name of {id}"),
        email: String::new(),
        phone: String::new(),
        street: String::new(),
        city: String::new(),
        zip: String::new(),
        country: String::new(),
        partner: String::new(),
        status: String::new(),
        iban: iban.to_string(),
        mandate_id: String::new(),
        mandate_signed: None,
        vat_id: String::new(),
        lineage: lineage(2),
    }
}

/// A bank line booked on October `day`: `minor` cents from `account`, with `text`.
pub fn line(id: &str, day: u32, account: &str, text: &str, minor: i64) -> BankLine {
    BankLine {
        id: id.to_string(),
        lineage: lineage(3),
        account: "DE89370400440532013000".to_string(),
        booking_date: october(day),
        value_date: None,
        amount: eur(minor),
        counterparty: "A Payer".to_string(),
        counterparty_account: account.to_string(),
        bank_reference: String::new(),
        text: text.to_string(),
        info: EntryInfo::default(),
    }
}
